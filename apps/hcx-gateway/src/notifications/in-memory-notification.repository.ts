import type { Delivery, NotificationDeliveryState, NotificationRecord, NotificationRepository, NotificationSearch, SubscriptionQuery, SubscriptionRecord, SubscriptionStatusCode } from '@npi/hcx/data-access';

/** NotificationRepository in memory (unit tests): the same conditional semantics as the Prisma adapter. */
export class InMemoryNotificationRepository implements NotificationRepository {
  readonly subscriptions: SubscriptionRecord[] = [];
  readonly notifications: NotificationRecord[] = [];
  readonly deliveries: Delivery[] = [];
  readonly notices = new Set<string>();

  async upsertSubscription(
    key: { topicCode: string; subscriberCode: string; senderCode: string },
    newId: string,
    status: (previous: SubscriptionRecord | null) => SubscriptionStatusCode,
    deliveries: (record: SubscriptionRecord, previous: SubscriptionRecord | null) => Delivery[],
  ): Promise<SubscriptionRecord> {
    let row = this.subscriptions.find((s) => s.topicCode === key.topicCode && s.subscriberCode === key.subscriberCode && s.senderCode === key.senderCode);
    const previous = row ? { ...row } : null;
    if (!row) {
      row = { subscriptionId: newId, ...key, status: 0, createdAt: new Date(), updatedAt: new Date() };
      this.subscriptions.push(row);
    }
    row.status = status(previous);
    this.deliveries.push(...deliveries({ ...row }, previous));
    return { ...row };
  }

  async setStatus(ids: string[], status: SubscriptionStatusCode, deliveries: (record: SubscriptionRecord) => Delivery[], onlyFrom?: SubscriptionStatusCode[]): Promise<SubscriptionRecord[]> {
    const changed: SubscriptionRecord[] = [];
    for (const row of this.subscriptions) {
      if (!ids.includes(row.subscriptionId) || row.status === status || (onlyFrom && !onlyFrom.includes(row.status))) continue;
      row.status = status;
      changed.push({ ...row });
    }
    for (const row of changed) this.deliveries.push(...deliveries(row));
    return changed;
  }

  async findSubscription(id: string): Promise<SubscriptionRecord | null> {
    const row = this.subscriptions.find((s) => s.subscriptionId === id);
    return row ? { ...row } : null;
  }

  async listSubscriptions(query: SubscriptionQuery): Promise<{ rows: SubscriptionRecord[]; count: number }> {
    const rows = this.subscriptions.filter(
      (s) =>
        (query.participantCode === undefined || (query.asSender ? s.senderCode : s.subscriberCode) === query.participantCode) &&
        (query.topicCode === undefined || s.topicCode === query.topicCode) &&
        (query.senderCode === undefined || s.senderCode === query.senderCode) &&
        (query.subscriberCodes === undefined || query.subscriberCodes.includes(s.subscriberCode)) &&
        (query.subscriptionIds === undefined || query.subscriptionIds.includes(s.subscriptionId)) &&
        (query.status === undefined || s.status === query.status),
    );
    return { rows: rows.slice(query.offset, query.offset + query.limit).map((row) => ({ ...row })), count: rows.length };
  }

  async activeSubscriptions(topicCode: string, senderCode: string): Promise<SubscriptionRecord[]> {
    return this.subscriptions.filter((s) => s.topicCode === topicCode && s.senderCode === senderCode && s.status === 1).map((row) => ({ ...row }));
  }

  async recordNotification(notification: Omit<NotificationRecord, 'createdAt'>, deliveries: Delivery[]): Promise<'recorded' | 'duplicate'> {
    if (this.notifications.some((n) => n.senderCode === notification.senderCode && n.correlationId === notification.correlationId)) return 'duplicate';
    this.notifications.push({ ...notification, createdAt: new Date() });
    this.deliveries.push(...deliveries);
    return 'recorded';
  }

  async searchNotifications(search: NotificationSearch): Promise<NotificationRecord[]> {
    return this.notifications.filter((n) => (search.topicCode === undefined || n.topicCode === search.topicCode) && (search.senderCode === undefined || n.senderCode === search.senderCode)).slice(0, search.limit);
  }

  async deliveriesOf(senderCode: string, correlationId: string): Promise<NotificationDeliveryState[]> {
    return this.deliveries
      .filter((d) => d.call.senderCode === senderCode && d.call.correlationId === correlationId && d.call.apiPath === '/notification/notify')
      .map((d) => ({ recipientCode: d.call.recipientCode, deliveryStatus: 'accepted', attempts: 0, lastError: null, deliveredAt: null }));
  }

  async claimExpiryNotice(participantCode: string, certificate: string, notAfter: Date): Promise<boolean> {
    const key = `${participantCode}|${certificate}|${notAfter.toISOString()}`;
    if (this.notices.has(key)) return false;
    this.notices.add(key);
    return true;
  }

  async releaseExpiryNotice(participantCode: string, certificate: string, notAfter: Date): Promise<void> {
    this.notices.delete(`${participantCode}|${certificate}|${notAfter.toISOString()}`);
  }
}
