import { expect } from "chai";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { OrderStore } from "../../../handlers/store/order-store";
import { clientsFor, freshResources, sharedEmulators } from "../support/emulators";

describe("OrderStore email claim", () => {
    it("should treat its own claim as claimed when the claiming update is retried after a lost answer", async () => {
        // Prepare: an order whose confirmation is pending.
        const clients = clientsFor((await sharedEmulators()).endpoints);
        const { tableName } = await freshResources(clients);
        const orderId = "0f8e2d7c-1b3a-4c5d-8e9f-0a1b2c3d4e5f";
        await DynamoDBDocumentClient.from(clients.dynamodb).send(
            new PutCommand({ TableName: tableName, Item: { orderId, status: "STORED", emailStatus: "PENDING" } }),
        );
        const store = new OrderStore(clients.dynamodb, tableName);
        const leaseUntil = Date.now() + 60_000;

        // Act: the same claim twice (the SDK's retry of an update whose answer was lost), then another claimant.
        const first = await store.claimEmail(orderId, "claim-a", leaseUntil, new Date());
        const retried = await store.claimEmail(orderId, "claim-a", leaseUntil, new Date());
        const other = await store.claimEmail(orderId, "claim-b", leaseUntil, new Date());

        // Assess: the retry keeps the claim; anyone else finds it held until the lease ends.
        expect(first).to.deep.equal({ kind: "claimed", claimId: "claim-a" });
        expect(retried).to.deep.equal({ kind: "claimed", claimId: "claim-a" });
        expect(other).to.deep.equal({ kind: "held", leaseUntil });
    });
});
