import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SQSClient } from "@aws-sdk/client-sqs";
import { randomBytes } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import { sdkClientSettings } from "../../../handlers/runtime/aws-clients";
import { startEmulators, type EmulatorEndpoints, type Emulators } from "../../../local/emulators/emulators";
import { createPipelineResources, type LocalResources } from "../../../local/pipeline/resources";
import { resolveLocalSettings } from "../../../local/pipeline/local-settings";
import { afterEachFile } from "../../support/per-file-cleanup";

let emulators: Promise<Emulators> | undefined;
const clients: Array<{ destroy(): void }> = [];

/**
 * The emulators of the handler tests: started on first use in a test file and stopped after that
 * file, so each file (and each parallel worker) starts from its own.
 */
export function sharedEmulators(): Promise<Emulators> {
    emulators ??= startEmulators();
    return emulators;
}

afterEachFile(async () => {
    for (const client of clients.splice(0)) client.destroy();
    const started = emulators;
    emulators = undefined;
    if (started) await (await started).stop();
});

/** Region and credentials for the emulators (they check neither). */
export const LOCAL_AWS = { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } } as const;

/** SDK clients pointed at the given endpoints, with the handlers' own timeouts; destroyed after the run. */
export interface TestClients {
    readonly dynamodb: DynamoDBClient;
    readonly sqs: SQSClient;
    readonly ses: SESv2Client;
}

/** Creates SDK clients for the emulators (or for any endpoints, e.g. a closed port). */
export function clientsFor(endpoints: EmulatorEndpoints, settings: Partial<{ maxAttempts: number }> = {}): TestClients {
    const common = { ...LOCAL_AWS, ...sdkClientSettings(settings) };
    const created = {
        dynamodb: new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb }),
        sqs: new SQSClient({ ...common, endpoint: endpoints.sqs }),
        ses: new SESv2Client({ ...common, endpoint: endpoints.ses }),
    };
    clients.push(created.dynamodb, created.sqs, created.ses);
    return created;
}

/** A fresh table, queue and DLQ (maxReceiveCount 3) for one test; visibility timeout 0 so retries come at once. */
export async function freshResources(testClients: TestClients): Promise<LocalResources> {
    return createPipelineResources(
        { dynamodb: testClients.dynamodb, sqs: testClients.sqs },
        resolveLocalSettings(`t-${randomBytes(6).toString("hex")}`, {}, { visibilityTimeoutSeconds: 0 }),
    );
}

/** A 127.0.0.1 URL on which nothing listens: a port taken from the OS and released again. */
export async function closedPortUrl(): Promise<string> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return `http://127.0.0.1:${port}`;
}
