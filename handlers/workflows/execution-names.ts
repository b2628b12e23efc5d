/** The input both state machines take. */
export interface WorkflowInput {
    readonly orderId: string;
}

/** Starts one execution of a state machine under a name derived from the order. */
export type WorkflowStarter = (name: string, input: WorkflowInput) => Promise<"started" | "already-started">;

/** The shipping execution of an order: one name per order, so a second start cannot run it twice. */
export function shippingExecutionName(orderId: string): string {
    return `ship-${orderId}`;
}

/** The refund execution of an order. */
export function refundExecutionName(orderId: string): string {
    return `refund-${orderId}`;
}
