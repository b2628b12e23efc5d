import * as aws from "./aws";
import type * as pulumi from "@pulumi/pulumi";
import { TABLE_KEY } from "../contract/defaults";
import type { ComponentSettings } from "./settings";

/**
 * Creates the orders table (`${name}-table`): one item per order under the `orderId` partition
 * key, on-demand (no capacity to plan; the event source mapping's concurrency limits the write
 * rate), point-in-time recovery on, encrypted with the customer managed key when one is given
 * (else the AWS-owned key, which costs nothing), deletion protection as configured.
 */
export function createTable(settings: Pick<ComponentSettings, "name" | "table" | "kmsKeyArn" | "tags">, parent: pulumi.Resource): aws.dynamodb.Table {
    return new aws.dynamodb.Table(
        `${settings.name}-table`,
        {
            billingMode: "PAY_PER_REQUEST",
            hashKey: TABLE_KEY,
            attributes: [{ name: TABLE_KEY, type: "S" }],
            pointInTimeRecovery: { enabled: true },
            // DynamoDB always encrypts at rest; without a key given it uses the AWS-owned key.
            serverSideEncryption:
                settings.kmsKeyArn === undefined ? undefined : { enabled: true, kmsKeyArn: settings.kmsKeyArn },
            deletionProtectionEnabled: settings.table.deletionProtection,
            tags: settings.tags,
        },
        { parent },
    );
}
