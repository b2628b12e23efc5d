import { StartExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";

import type { WorkflowStarter } from "./execution-names";

/**
 * Creates a starter for one state machine. Step Functions makes the name the idempotency key: a
 * start with the name and input of a running execution returns that execution, and a name used
 * before answers ExecutionAlreadyExists; both mean the workflow of this order exists.
 */
export function createWorkflowStarter(client: SFNClient, stateMachineArn: string): WorkflowStarter {
    return async (name, input) => {
        try {
            await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ orderId: input.orderId }) }));
            return "started";
        } catch (err) {
            if (err instanceof Error && err.name === "ExecutionAlreadyExists") return "already-started";
            throw err;
        }
    };
}
