import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { CredentialError } from '../errors';
import { MINIMUM_RSA_MODULUS_BITS, rsaModulusLength } from '../lib/key-policy';

/** What a member's (or NPI's own) PKCS#12 file holds that signing needs. */
export interface PfxContents {
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  readonly modulusLength: number;
}

/**
 * Reads a PKCS#12 (`.pfx`/`.p12`) file with node-forge, because `node:crypto` cannot: both the
 * legacy format (3DES/RC2, SHA-1 MAC; `openssl pkcs12 -export -legacy`) and OpenSSL 3's default
 * (PBES2 AES-256-CBC, SHA-256 MAC). The file must hold exactly one RSA private key of at least
 * 2048 bits and the certificate for it (other certificates, e.g. a chain, are ignored).
 *
 * Error messages never include the passphrase, key bytes or node-forge's own messages.
 * @throws CredentialError `ERR_PFX_INVALID`, `ERR_PFX_PASSPHRASE`, `ERR_KEY_TOO_SMALL`.
 */
export function readPfx(pfx: Uint8Array, passphrase: string): PfxContents {
  if (!(pfx instanceof Uint8Array) || pfx.length === 0) {
    throw new CredentialError('ERR_PFX_INVALID', 'PFX must be the non-empty bytes of a PKCS#12 file');
  }
  if (typeof passphrase !== 'string') {
    throw new CredentialError('ERR_PFX_PASSPHRASE', 'PFX passphrase must be a string');
  }

  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(pfx.buffer, pfx.byteOffset, pfx.byteLength).toString('binary')));
  } catch {
    throw new CredentialError('ERR_PFX_INVALID', 'PFX is not a DER-encoded PKCS#12 file');
  }
  const p12 = decodePkcs12(asn1, passphrase);

  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  if (keyBags.length !== 1) {
    throw new CredentialError('ERR_PFX_INVALID', `PFX must hold exactly one private key, not ${keyBags.length}`);
  }
  const forgeKey = keyBags[0].key as forge.pki.rsa.PrivateKey | null | undefined;
  if (!forgeKey) {
    // node-forge leaves `key` null for anything but RSA (EC, Ed25519, ...).
    throw new CredentialError('ERR_PFX_INVALID', 'PFX private key is not RSA; SHA256withRSA needs an RSA key');
  }

  const privateKey = toKeyObject(forgeKey);
  const bits = rsaModulusLength(privateKey);
  if (bits === undefined) {
    throw new CredentialError('ERR_PFX_INVALID', 'PFX private key is not RSA; SHA256withRSA needs an RSA key');
  }
  if (bits < MINIMUM_RSA_MODULUS_BITS) {
    throw new CredentialError('ERR_KEY_TOO_SMALL', `PFX private key is ${bits}-bit RSA; at least ${MINIMUM_RSA_MODULUS_BITS} bits are required`);
  }

  const certificate = findCertificateFor(p12, privateKey);
  return { privateKey, certificate, modulusLength: bits };
}

function decodePkcs12(asn1: forge.asn1.Asn1, passphrase: string): forge.pkcs12.Pkcs12Pfx {
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, true, passphrase);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/MAC could not be verified/i.test(message)) {
      // Also what a damaged file gives: the MAC covers every byte, so the two look the same.
      throw new CredentialError('ERR_PFX_PASSPHRASE', 'PFX passphrase is wrong (or the file is damaged: its integrity check failed)');
    }
    if (/decrypt/i.test(message)) {
      if (hasMac(asn1) && !isAscii(passphrase)) return decodeWithUtf8Passphrase(asn1, passphrase);
      throw new CredentialError('ERR_PFX_PASSPHRASE', 'PFX could not be decrypted: the passphrase is wrong');
    }
    throw new CredentialError('ERR_PFX_INVALID', 'PFX is not a usable PKCS#12 file');
  }
}

/**
 * The MAC has just verified with the passphrase as a BMPString (RFC 7292 appendix B.1), so the
 * passphrase is right; but PBES2 (RFC 8018), which OpenSSL 3 uses by default, takes it as UTF-8
 * bytes, while node-forge passes one string to both. Decrypt the already authenticated contents
 * again with the UTF-8 bytes, the MAC (verified) left out.
 */
function decodeWithUtf8Passphrase(asn1: forge.asn1.Asn1, passphrase: string): forge.pkcs12.Pkcs12Pfx {
  const withoutMac: forge.asn1.Asn1 = { ...asn1, value: (asn1.value as forge.asn1.Asn1[]).slice(0, 2) };
  try {
    return forge.pkcs12.pkcs12FromAsn1(withoutMac, true, forge.util.encodeUtf8(passphrase));
  } catch {
    throw new CredentialError('ERR_PFX_PASSPHRASE', 'PFX could not be decrypted: the passphrase is wrong');
  }
}

function hasMac(asn1: forge.asn1.Asn1): boolean {
  return Array.isArray(asn1.value) && asn1.value.length > 2;
}

function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) > 0x7f) return false;
  return true;
}

function toKeyObject(forgeKey: forge.pki.rsa.PrivateKey): KeyObject {
  const der = Buffer.from(forge.asn1.toDer(forge.pki.privateKeyToAsn1(forgeKey)).getBytes(), 'binary');
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  } catch {
    throw new CredentialError('ERR_PFX_INVALID', 'PFX private key could not be imported');
  } finally {
    // Best effort: the KeyObject holds the key from here on; do not leave a second copy around.
    der.fill(0);
  }
}

function findCertificateFor(p12: forge.pkcs12.Pkcs12Pfx, privateKey: KeyObject): X509Certificate {
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  for (const bag of certBags) {
    if (!bag.cert) continue; // not an RSA certificate: cannot be this key's
    let certificate: X509Certificate;
    try {
      // certificateToAsn1 reuses the TBSCertificate as parsed, so these are the file's own bytes.
      const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes(), 'binary');
      certificate = new X509Certificate(der);
    } catch {
      continue;
    }
    if (certificate.checkPrivateKey(privateKey)) return certificate;
  }
  throw new CredentialError('ERR_PFX_INVALID', 'PFX holds no certificate for its private key');
}
