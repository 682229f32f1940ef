import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanExporter } from '@opentelemetry/sdk-trace';

export { SpanKind };
export type { Span };

const TRACER = 'npi-platform';

export interface TracingOptions {
  /** `service.name` of the spans (standalone mode: the platform, one process for four services). */
  serviceName: string;
  /** OTLP/HTTP collector base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); absent: tracing stays off. */
  otlpEndpoint?: string;
  /** Tests: an in-memory exporter, exported synchronously. */
  exporter?: SpanExporter;
}

let provider: TracerProvider | undefined;

/**
 * Turns tracing on for this process, once: W3C `traceparent` propagation, an AsyncLocalStorage
 * context, and spans to the OTLP collector. Off by default (no endpoint, no exporter): the API
 * then hands out non-recording spans and nothing is propagated, at no cost.
 */
export function configureTracing(options: TracingOptions): boolean {
  if (provider) return true;
  if (!options.exporter && !options.otlpEndpoint) return false;
  const exporter = options.exporter ?? new OTLPTraceExporter({ url: `${(options.otlpEndpoint ?? '').replace(/\/$/, '')}/v1/traces` });
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [options.exporter ? new SimpleSpanProcessor({ exporter }) : new BatchSpanProcessor({ exporter })],
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return true;
}

/** Flushes and turns tracing off again (graceful shutdown, tests). */
export async function shutdownTracing(): Promise<void> {
  const current = provider;
  provider = undefined;
  if (!current) return;
  await current.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

/** Writes the active trace context (`traceparent`) into message or request headers. */
export function injectTraceContext(headers: Record<string, string>, from: Context = context.active()): Record<string, string> {
  propagation.inject(from, headers);
  return headers;
}

/** The trace context carried by incoming headers (HTTP or Kafka), as a parent for new spans. */
export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers);
}

export interface SpanOptions {
  kind: SpanKind;
  /** Parent from incoming headers; the active context otherwise. */
  parent?: Context;
  attributes?: Attributes;
}

/** Runs `work` in a new span made current for it; errors mark the span and are rethrown. */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = trace.getTracer(TRACER).startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

/** Starts a span that the caller ends (an HTTP request ends on `finish`); returns its context. */
export function startSpan(name: string, options: SpanOptions): { span: Span; context: Context } {
  const parent = options.parent ?? context.active();
  const span = trace.getTracer(TRACER).startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs `work` with `active` as the current trace context. */
export function withTraceContext<T>(active: Context, work: () => T): T {
  return context.with(active, work);
}
