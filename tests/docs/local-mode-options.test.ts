import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { SHIPMENT_TIMEOUT_SECONDS } from "../../contract/options/workflows";
import { LOCAL_CLIENT_ID, LOCAL_USER_POOL_ID, TOKEN_MINUTES } from "../../local/auth/local-user-pool";
import { LOCAL_SUBSCRIBER_RULE, type LocalOptions } from "../../local/pipeline/local-options";
import { optionLines } from "../../local/start/option-banner";
import { START_USAGE } from "../../local/start/start-options";
import { DEFAULT_PACKING_MS, WAREHOUSE_REFUSED_ERROR } from "../../local/warehouse/warehouse";
import { ROOT } from "./markdown";

/** docs/local-mode.md's options section: its banner, defaults and names come from the code. */
const page = fs.readFileSync(path.join(ROOT, "docs/local-mode.md"), "utf8");

describe("docs/local-mode.md: the options in local mode", () => {
    it("should show the banner lines npm start prints for the options (ports aside)", () => {
        const sqs = "http://sqs.us-east-1.localhost:<port>/000000000000";
        const options = {
            workflows: {
                emulator: { endpoint: "http://127.0.0.1:<port>" },
                shippingStateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:orders-ship-sm",
                refundStateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:orders-refund-sm",
                shipmentTimeoutSeconds: SHIPMENT_TIMEOUT_SECONDS,
                shipmentQueueUrl: `${sqs}/orders-shipment-queue`,
                warehouse: { mode: "ship" },
            },
            events: { emulator: { endpoint: "http://127.0.0.1:<port>" }, busName: "orders-bus", archiveName: "orders-archive", subscriberQueueUrl: `${sqs}/orders-events-subscriber`, subscribers: [] },
            auth: { pool: { issuer: `https://cognito-idp.us-east-1.amazonaws.com/${LOCAL_USER_POOL_ID}`, clientId: LOCAL_CLIENT_ID } },
        } as unknown as LocalOptions;
        const block = page.split("npm start -- --workflows --events --auth\n```\n\nruns the whole roadmap on this machine. The banner adds:\n\n```\n")[1]?.split("\n```")[0];
        expect(block, "the banner block after 'The banner adds:'").to.be.a("string");
        expect(block!.split("\n")).to.deep.equal(optionLines({ options }));
    });

    it("should state the defaults and names the code uses", () => {
        expect(page).to.contain(`after ${DEFAULT_PACKING_MS / 1000} s of packing`);
        expect(page).to.contain(`SendTaskFailure \`${WAREHOUSE_REFUSED_ERROR}\``);
        expect(page).to.contain(`lives ${TOKEN_MINUTES.default} minutes (\`--minutes ${TOKEN_MINUTES.min}\` to\n\`${TOKEN_MINUTES.max}\``);
        expect(page).to.contain(`until the shipment timeout (${SHIPMENT_TIMEOUT_SECONDS / 86400} days by default)`);
        expect(page).to.contain(`the rule\n\`${LOCAL_SUBSCRIBER_RULE}\``);
        expect(page).to.contain(`app client id \`${LOCAL_CLIENT_ID}\``);
        expect(page).to.contain("`cognito-local` was not used");
    });

    it("should list every option flag of npm start in its flags table", () => {
        for (const flag of ["--workflows", "--warehouse <mode>", "--events", "--auth"]) {
            expect(START_USAGE, flag).to.contain(flag);
            expect(page, flag).to.contain(`| \`${flag}\` |`);
        }
    });
});
