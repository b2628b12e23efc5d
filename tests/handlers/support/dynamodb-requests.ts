import { GetItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";

type Input = { TableName?: string; Key?: Record<string, unknown>; Item?: Record<string, unknown>; ReturnValuesOnConditionCheckFailure?: string };

/** Counts the requests a client sends, by operation (e.g. PutItem), retries included. */
export function countRequests(client: DynamoDBClient): Record<string, number> {
    const counts: Record<string, number> = {};
    client.middlewareStack.add(
        (next, context) => async (args) => {
            const operation = String(context.commandName).replace(/Command$/, "");
            counts[operation] = (counts[operation] ?? 0) + 1;
            return next(args);
        },
        { step: "finalizeRequest", priority: "low", name: "countRequests" },
    );
    return counts;
}

/**
 * Loses the answer of the first `operation` request: DynamoDB carries it out, the client sees a
 * timeout and its retry sends it again (the case a conditional write must recognise as its own).
 */
export function loseFirstAnswer(client: DynamoDBClient, operation: string): void {
    let lost = false;
    client.middlewareStack.add(
        (next, context) => async (args) => {
            const result = await next(args);
            if (!lost && context.commandName === `${operation}Command`) {
                lost = true;
                throw Object.assign(new Error("the answer was lost"), { name: "TimeoutError", $metadata: {} });
            }
            return result;
        },
        { step: "deserialize", name: "loseFirstAnswer" },
    );
}

/**
 * Makes the emulator answer like DynamoDB to `ReturnValuesOnConditionCheckFailure: ALL_OLD`: a
 * failed condition carries the item it saw (dynalite ignores the option). The item is read with
 * `reader`, a client without this middleware, so the read is not counted as the caller's.
 */
export function returnOldItemOnConditionFailure(client: DynamoDBClient, reader: DynamoDBClient): void {
    client.middlewareStack.add(
        (next) => async (args) => {
            try {
                return await next(args);
            } catch (err) {
                const input = args.input as Input;
                if (!(err instanceof Error) || err.name !== "ConditionalCheckFailedException" || input.ReturnValuesOnConditionCheckFailure !== "ALL_OLD") throw err;
                const key = input.Key ?? { orderId: input.Item!.orderId };
                const { Item } = await reader.send(new GetItemCommand({ TableName: input.TableName, Key: key as never, ConsistentRead: true }));
                throw Object.assign(err, { Item });
            }
        },
        { step: "build", name: "returnOldItemOnConditionFailure" },
    );
}
