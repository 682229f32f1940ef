/**
 * The master list of notification topics (HCX notification document, NotificationTopic). The first
 * three are the gateway's own (sent by the HCX instance); the last is sent by payors. The codes are
 * `<name>@<instance>` so they stay unique across HCX instances.
 */
export interface NotificationTopic {
  topic_code: string;
  title: string;
  description: string;
  /** Roles that may send it (`HIE/HIO.HCX` = the gateway itself). */
  sender: string[];
  /** Roles that may subscribe to it. */
  recipient: string[];
  category: 'network' | 'participant' | 'use_case';
  /** 0 = highest; negative = disabled. */
  priority: number;
  template: string;
}

const ALL_ROLES = ['provider', 'payor', 'agency.tpa', 'agency.regulator', 'research', 'member.isnp', 'agency.sponsor'];

export function notificationTopics(instanceId: string): NotificationTopic[] {
  const code = (name: string) => `${name}@${instanceId}`;
  return [
    {
      topic_code: code('notif-participant-status-change'),
      title: 'Participant status change',
      description: 'A participant of the network became Active, InActive or Blocked.',
      sender: ['HIE/HIO.HCX'],
      recipient: ALL_ROLES,
      category: 'network',
      priority: 1,
      template: '{"message": "${participant_name} (${participant_code}) is now ${status}"}',
    },
    {
      topic_code: code('notif-certificate-expiry'),
      title: 'Certificate expiry',
      description: 'Your encryption or signing certificate expires soon; upload a new one with /participant/update.',
      sender: ['HIE/HIO.HCX'],
      recipient: ALL_ROLES,
      category: 'participant',
      priority: 0,
      template: '{"message": "Your ${certificate} expires on ${expiry}"}',
    },
    {
      topic_code: code('notif-secret-rotation'),
      title: 'Client secret rotated',
      description: 'Your client_secret was rotated; the new one was delivered by email/SMS and earlier API keys stopped working.',
      sender: ['HIE/HIO.HCX'],
      recipient: ALL_ROLES,
      category: 'participant',
      priority: 0,
      template: '{"message": "Your client secret was rotated at ${timestamp}"}',
    },
    {
      topic_code: code('notif-payer-downtime'),
      title: 'Payer downtime',
      description: 'A payor announces a downtime of its system.',
      sender: ['payor'],
      recipient: ['provider', 'agency.tpa'],
      category: 'network',
      priority: 1,
      template: '{"message": "${participant_name} is down from ${from} to ${to}"}',
    },
  ];
}
