import { scanNotifications } from './embedded-postgres';

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function notification(channel: string): Buffer {
  const pid = Buffer.alloc(4);
  pid.writeInt32BE(42);
  return message('A', Buffer.concat([pid, Buffer.from(`${channel}\0`), Buffer.from('\0')]));
}

describe('scanNotifications', () => {
  it('reports each NotificationResponse channel among other backend messages', () => {
    const chunk = Buffer.concat([message('C', Buffer.from('INSERT 0 1\0')), notification('outbox_hcx'), notification('outbox_auth'), message('Z', Buffer.from('I'))]);
    const channels: string[] = [];
    scanNotifications(new Uint8Array(chunk), (channel) => channels.push(channel));
    expect(channels).toEqual(['outbox_hcx', 'outbox_auth']);
  });

  it('reports nothing for a chunk without notifications or one that starts mid-message', () => {
    const channels: string[] = [];
    scanNotifications(new Uint8Array(message('Z', Buffer.from('I'))), (channel) => channels.push(channel));
    scanNotifications(new Uint8Array(Buffer.from([0, 0, 0, 0, 0, 1, 2])), (channel) => channels.push(channel));
    expect(channels).toEqual([]);
  });
});
