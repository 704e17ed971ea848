import type { InferRequestType, InferResponseType } from 'hono/client';
import type { api } from '$lib/api';

// The integrations page's shapes, as the API's routes declare them
// (functions/schemas/webhooks.ts through the RPC client).
type Sources = (typeof api.api)['webhook-sources'];
type Events = (typeof api.api)['webhook-events'];

export type WebhookSource = InferResponseType<Sources['$get'], 200>['data'][number];
export type NewSource = InferRequestType<Sources['$post']>['json'];
export type SourceChange = InferRequestType<Sources[':id']['$patch']>['json'];
export type HmacScheme = NonNullable<NewSource['hmac']>;
export type WebhookEvent = InferResponseType<Events['$get'], 200>['data'][number];
export type WebhookEventDetail = InferResponseType<Events[':id']['$get'], 200>;
export type EventQuery = InferRequestType<Events['$get']>['query'];

// A secret just made or rotated: the one time it can be copied.
export type ShownSecret = { source: { id: string; name: string; kind: WebhookSource['kind']; url: string }; secret: string; rotated: boolean };

// Outbound: subscriptions and their delivery log.
type Subscriptions = (typeof api.api)['webhook-subscriptions'];
type Deliveries = (typeof api.api)['webhook-deliveries'];

export type Subscription = InferResponseType<Subscriptions['$get'], 200>['data'][number];
export type NewSubscription = InferRequestType<Subscriptions['$post']>['json'];
export type EventTypeInfo = InferResponseType<Subscriptions['event-types']['$get'], 200>['data'][number];
export type Delivery = InferResponseType<Deliveries['$get'], 200>['data'][number];
export type DeliveryDetail = InferResponseType<Deliveries[':id']['$get'], 200>;
export type DeliveryQuery = InferRequestType<Deliveries['$get']>['query'];

// A subscription's secret just made or rotated: the one time it can be copied.
export type ShownSubscriptionSecret = { subscription: Subscription; secret: string; rotated: boolean };
