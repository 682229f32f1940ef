// The page's script and stylesheet, served from /billers/assets (CSP script-src 'self': no inline code).
// Plain ES2017 and CSS, no dependencies; kept as raw strings so the build needs no asset copying.

export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('npi-billers-config').textContent);
  var app = document.getElementById('app');
  var toastBox = document.getElementById('toast');
  var L = {
    en: { title: 'Pay bills', all: 'All billers', back: 'Back', next: 'Continue', confirm: 'Confirm', edit: 'Edit', review: 'Review payment',
      required: 'This field is required', invalid: 'Invalid value', sent: 'Sent to your app for authorisation', expired: 'Your session has expired',
      failed: 'Something went wrong', biller: 'Biller' },
    ne: { title: '\u092c\u093f\u0932 \u092d\u0941\u0915\u094d\u0924\u093e\u0928\u0940', all: '\u0938\u092c\u0948 \u092c\u093f\u0932\u0930', back: '\u092a\u091b\u093e\u0921\u093f', next: '\u0905\u0917\u093e\u0921\u093f',
      confirm: '\u092a\u0941\u0937\u094d\u091f\u093f \u0917\u0930\u094d\u0928\u0941\u0939\u094b\u0938\u094d', edit: '\u0938\u092e\u094d\u092a\u093e\u0926\u0928', review: '\u092d\u0941\u0915\u094d\u0924\u093e\u0928\u0940 \u0939\u0947\u0930\u094d\u0928\u0941\u0939\u094b\u0938\u094d',
      required: '\u092f\u094b \u0915\u094d\u0937\u0947\u0924\u094d\u0930 \u0906\u0935\u0936\u094d\u092f\u0915 \u091b', invalid: '\u0917\u0932\u0924 \u092e\u093e\u0928', sent: '\u0905\u0928\u0941\u092e\u0924\u093f\u0915\u093e \u0932\u093e\u0917\u093f \u092a\u0920\u093e\u0907\u092f\u094b',
      expired: '\u0924\u092a\u093e\u0908\u0902\u0915\u094b \u0938\u0924\u094d\u0930 \u0938\u092e\u093e\u092a\u094d\u0924 \u092d\u092f\u094b', failed: '\u0924\u094d\u0930\u0941\u091f\u093f \u092d\u092f\u094b', biller: '\u092c\u093f\u0932\u0930' }
  };
  var t = L[config.lang === 'ne' ? 'ne' : 'en'];
  var ne = config.lang === 'ne';
  var ended = false;

  // Seed 000 section 3.4: messages go to the registered host origin that frames us, never '*'.
  function hostOrigin() {
    var candidates = [];
    if (window.location.ancestorOrigins && window.location.ancestorOrigins.length > 0) candidates.push(window.location.ancestorOrigins[0]);
    if (document.referrer) { try { candidates.push(new URL(document.referrer).origin); } catch (e) { /* ignore */ } }
    for (var i = 0; i < candidates.length; i++) if (config.hostOrigins.indexOf(candidates[i]) >= 0) return candidates[i];
    return config.hostOrigins.length === 1 ? config.hostOrigins[0] : null;
  }
  var target = hostOrigin();

  function post(type, data) {
    var message = { session_id: config.sessionId, type: type, data: data };
    // Integration section 5.1: in a mobile WebView, messages go to the app's JavaScript interface
    // onMessageListen(message: String) ("ANDROID" object on Android, a WKScriptMessageHandler on iOS).
    if (config.channel === 'mob' && window.parent === window) {
      var text = JSON.stringify(message);
      if (window.ANDROID && typeof window.ANDROID.onMessageListen === 'function') { window.ANDROID.onMessageListen(text); return true; }
      if (window.webkit && window.webkit.messageHandlers && window.webkit.messageHandlers.onMessageListen) { window.webkit.messageHandlers.onMessageListen.postMessage(text); return true; }
      return false;
    }
    if (!target || window.parent === window) return false;
    window.parent.postMessage(message, target);
    return true;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'on') Object.keys(attrs.on).forEach(function (e) { node.addEventListener(e, attrs.on[e]); });
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function showError(code, message) {
    if (config.displayError === 'host_app' && post('error', { type: 'error', code: code, message: message })) return;
    if (config.displayError === 'embedded') {
      app.insertBefore(el('div', { 'class': 'error', role: 'alert', 'data-error-code': code, text: code + ' ' + message }), app.firstChild);
      return;
    }
    toast(code + ' ' + message, true);
  }

  function toast(message, isError) {
    toastBox.textContent = message;
    toastBox.className = isError ? 'toast error' : 'toast';
    toastBox.hidden = false;
    setTimeout(function () { toastBox.hidden = true; }, 6000);
  }

  function expire() {
    if (ended) return;
    ended = true;
    post('session_expire', null);
    app.textContent = '';
    app.appendChild(el('p', { 'class': 'notice', 'data-state': 'expired', text: t.expired }));
  }

  function label(field) { return ne && field.labelNe ? field.labelNe : field.label; }
  function name(biller) { return ne && biller.nameNe ? biller.nameNe : biller.name; }

  function renderList(billers) {
    app.textContent = '';
    app.appendChild(el('h1', { text: t.title }));
    var groups = {};
    billers.forEach(function (b) { (groups[b.group] = groups[b.group] || []).push(b); });
    Object.keys(groups).sort().forEach(function (g) {
      var list = el('ul', { 'class': 'billers' });
      groups[g].forEach(function (b) {
        list.appendChild(el('li', {}, [el('button', { type: 'button', 'class': 'biller', 'data-biller': b.code, on: { click: function () { renderForm(b, billers.length > 1 ? billers : null); } } },
          [el('span', { 'class': 'icon', 'aria-hidden': 'true', text: b.icon }), el('span', { text: name(b) })])]));
      });
      app.appendChild(el('section', {}, [el('h2', { text: g }), list]));
    });
  }

  function renderForm(biller, backTo, values) {
    app.textContent = '';
    var inputs = {};
    var form = el('form', { novalidate: 'novalidate', 'data-biller': biller.code });
    biller.form.forEach(function (f) {
      var input = el('input', { id: 'f-' + f.fieldName, name: f.fieldName, inputmode: f.kind === 'amount' ? 'decimal' : (f.kind === 'tel' ? 'tel' : 'text'), autocomplete: 'off' });
      if (values && values[f.fieldName]) input.value = values[f.fieldName];
      inputs[f.fieldName] = input;
      form.appendChild(el('div', { 'class': 'field' }, [el('label', { 'for': 'f-' + f.fieldName, text: label(f) }), input, el('small', { 'class': 'hint', id: 'e-' + f.fieldName })]));
    });
    form.appendChild(el('div', { 'class': 'actions' }, [
      backTo ? el('button', { type: 'button', 'class': 'secondary', text: t.back, on: { click: function () { renderList(backTo); } } }) : null,
      el('button', { type: 'submit', id: 'next', text: t.next })
    ]));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var ok = true;
      var collected = {};
      biller.form.forEach(function (f) {
        var v = inputs[f.fieldName].value.trim();
        var hint = document.getElementById('e-' + f.fieldName);
        hint.textContent = '';
        if (!v && f.required) { hint.textContent = t.required; ok = false; return; }
        if (v && !new RegExp(f.pattern).test(v)) { hint.textContent = t.invalid; ok = false; return; }
        if (v) collected[f.fieldName] = v;
      });
      if (ok) renderConfirm(biller, collected, backTo);
    });
    app.appendChild(el('h1', {}, [el('span', { 'class': 'icon', 'aria-hidden': 'true', text: biller.icon }), document.createTextNode(' ' + name(biller))]));
    app.appendChild(form);
  }

  function renderConfirm(biller, values, backTo) {
    app.textContent = '';
    var rows = [el('dt', { text: t.biller }), el('dd', { text: name(biller) })];
    biller.form.forEach(function (f) { if (values[f.fieldName]) { rows.push(el('dt', { text: label(f) })); rows.push(el('dd', { text: values[f.fieldName] })); } });
    var confirmButton = el('button', { type: 'button', id: 'confirm', text: t.confirm });
    confirmButton.addEventListener('click', function () { confirmButton.disabled = true; submit(biller, values).then(null, function () { confirmButton.disabled = false; }); });
    app.appendChild(el('h1', { text: t.review }));
    app.appendChild(el('dl', { 'class': 'summary' }, rows));
    app.appendChild(el('div', { 'class': 'actions' }, [el('button', { type: 'button', 'class': 'secondary', text: t.edit, on: { click: function () { renderForm(biller, backTo, values); } } }), confirmButton]));
  }

  function submit(biller, values) {
    return fetch(config.apiBase + '/npi-object', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Billers-Host-Origin': target || '' },
      body: JSON.stringify({ session_id: config.sessionId, biller_code: biller.code, fields: values, lang: config.lang })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) {
          post('submit_form_payload', body.npiObject);
          app.textContent = '';
          app.appendChild(el('p', { 'class': 'notice', 'data-state': 'submitted', text: t.sent }));
          return;
        }
        if (body && body.error && body.error.code === 'ERR_SESSION_EXPIRED') { expire(); return; }
        showError(body && body.error ? body.error.code : String(response.status), body && body.error ? body.error.message : t.failed);
        throw new Error('refused');
      });
    });
  }

  if (config.error) {
    showError(config.error.code, config.error.message);
    return;
  }
  if (window.parent === window && config.channel !== 'mob') {
    // Loaded top-level: frame-ancestors cannot apply, so refuse to run (web integration is an iframe).
    app.textContent = '';
    app.appendChild(el('p', { 'class': 'error', text: 'NPI Billers must be opened inside the registered host application.' }));
    return;
  }
  if (typeof config.expiresInMs === 'number') setTimeout(expire, Math.max(0, config.expiresInMs));
  var billers = config.billers || [];
  if (config.landingPage === 'biller_form' && billers.length === 1) renderForm(billers[0], null);
  else renderList(billers);
})();`;

export const PAGE_STYLE = String.raw`:root { color-scheme: light; --bg: #ffffff; --fg: #1b1f24; --muted: #5b6570; --card: #f3f5f7; --accent: #0b5cad; --error: #b42318; }
[data-theme="dark"] { color-scheme: dark; --bg: #12161b; --fg: #e8ecf0; --muted: #9aa5b1; --card: #1d232a; --accent: #5ea8ff; --error: #ff8a80; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans Devanagari", sans-serif; background: var(--bg); color: var(--fg); }
main { max-width: 560px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.3rem; } h2 { font-size: 1rem; color: var(--muted); }
ul.billers { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 8px; }
button { font: inherit; padding: 10px 14px; border-radius: 8px; border: 0; background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: var(--card); color: var(--fg); }
button.biller { width: 100%; background: var(--card); color: var(--fg); display: flex; gap: 8px; align-items: center; text-align: left; }
.icon { font-size: 1.4rem; }
.field { display: flex; flex-direction: column; margin-bottom: 12px; }
.field input { font: inherit; padding: 10px; border-radius: 8px; border: 1px solid var(--muted); background: var(--bg); color: var(--fg); }
.hint { color: var(--error); min-height: 1em; }
.actions { display: flex; gap: 8px; justify-content: flex-end; }
dl.summary { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; }
dt { color: var(--muted); }
.error { color: var(--error); border: 1px solid var(--error); border-radius: 8px; padding: 12px; }
.notice { padding: 12px; background: var(--card); border-radius: 8px; }
.toast { position: fixed; bottom: 16px; left: 16px; right: 16px; padding: 12px; border-radius: 8px; background: var(--card); }`;
