import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { ALL_CONTRACTS, ALL_TOPICS } from '@npi/kafka-contracts';
import { idOf } from './build';
import { renderAsyncApi, validateAsyncApi } from './generate';

const FILE = path.join(__dirname, '..', '..', 'docs', 'asyncapi', 'asyncapi.yaml');

interface Document {
  asyncapi: string;
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
  operations: Record<string, { action: string; channel: { $ref: string } }>;
  components: { messages: Record<string, { payload: { properties?: Record<string, { const?: unknown; properties?: unknown }> } }> };
}

describe('docs/asyncapi/asyncapi.yaml', () => {
  const text = fs.readFileSync(FILE, 'utf8');
  const document = yaml.load(text) as Document;

  it('is the current output of `npm run asyncapi`', () => {
    expect(text).toBe(renderAsyncApi());
  });

  it('is an AsyncAPI 3 document with a channel, a send and a receive operation for every topic in ALL_TOPICS', () => {
    expect(document.asyncapi).toBe('3.0.0');
    const addresses = Object.values(document.channels).map((channel) => channel.address);
    expect([...addresses].sort()).toEqual([...ALL_TOPICS].sort());
    for (const topic of ALL_TOPICS) {
      const channelRefs = Object.entries(document.operations)
        .filter(([, operation]) => operation.channel.$ref === `#/channels/${idOf(topic)}`)
        .map(([, operation]) => operation.action);
      expect({ topic, actions: channelRefs.sort() }).toEqual({ topic, actions: ['receive', 'send'] });
    }
  });

  it('carries every contract version as a message whose envelope names its topic and version', () => {
    for (const contract of ALL_CONTRACTS) {
      const message = document.components.messages[idOf(contract.topic)];
      expect(message).toBeDefined();
      expect(message.payload.properties?.topic?.const).toBe(contract.topic);
      expect(message.payload.properties?.version?.const).toBe(contract.version);
      expect(message.payload.properties?.data?.properties).toBeDefined();
    }
  });

  it('passes the AsyncAPI parser without errors or warnings', async () => {
    await expect(validateAsyncApi(text)).resolves.toEqual([]);
  }, 60_000);

  it('the validation fails a document that breaks the spec', async () => {
    const broken = text.replace('action: send', 'action: publish');
    expect(await validateAsyncApi(broken)).not.toEqual([]);
  }, 60_000);
});
