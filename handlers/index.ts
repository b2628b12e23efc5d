/**
 * The handlers' public surface for other code: the order schema and its type, the API's schemas
 * and OpenAPI document, the handler factories (to run the handlers with clients of one's own, as
 * local mode and the tests do; the email-events one records SES delivery events), and the names of
 * the metrics the handlers emit.
 */
export { OrderSchema, ORDER_LIMITS, type Order } from "./order/schema";
export { OrderMessageSchema, ORDER_MESSAGE_SCHEMA_VERSION, type OrderMessage } from "./order/message";
export { OrderViewSchema, type OrderView } from "./order/order-view";
export { OrderAcceptedSchema, ProblemSchema } from "./http/api-schemas";
export { MAX_BODY_BYTES } from "./http/body";
export { IDEMPOTENCY_KEY_MAX_LENGTH } from "./order/idempotency";
export { STATUS_TRANSITIONS, ORDER_STATUSES, type OrderStatus } from "./order/status";
export { openApiDocument, renderOpenApi } from "./openapi/openapi-document";
export { METRICS_NAMESPACE, METRICS_DIMENSION, METRIC_NAMES, type MetricName } from "./runtime/metrics";
export { createSubmitOrderHandler, type SubmitOrderDependencies } from "./submit/submit-order-handler";
export { createProcessOrderHandler, type ProcessOrderDependencies } from "./process/process-order-handler";
export { createGetOrderHandler, type GetOrderDependencies } from "./get/get-order-handler";
export { createRecordEmailEventHandler, type RecordEmailEventDependencies } from "./email-events/record-email-event-handler";
