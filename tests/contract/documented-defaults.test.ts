/**
 * Every default and range written in an argument's JSDoc (which editors and the package's typings
 * show) is the one the resolver applies: the JSDoc is checked against the defaults module, so the
 * two cannot drift.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { BUNDLE_AWS_SDK, LOG_RETENTION_DAYS, SETTINGS, TRACING, type NumberSetting } from "../../contract/defaults";
import { AUTH_SETTINGS } from "../../contract/options/auth";
import { EVENTS_SETTINGS } from "../../contract/options/events";
import { WORKFLOW_LOG_LEVEL, WORKFLOWS_SETTINGS } from "../../contract/options/workflows";

const CONTRACT = path.resolve(__dirname, "../../contract");

/** The JSDoc text of every interface property in a file: `Interface.property` -> text. */
function propertyDocs(file: string): Map<string, string> {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(CONTRACT, file), "utf8"), ts.ScriptTarget.ES2023, true);
    const docs = new Map<string, string>();
    const visit = (node: ts.Node): void => {
        if (ts.isInterfaceDeclaration(node)) {
            for (const member of node.members) {
                if (!ts.isPropertySignature(member)) continue;
                const text = ts
                    .getJSDocCommentsAndTags(member)
                    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "")
                    .join(" ")
                    .replace(/\s+/g, " ");
                docs.set(`${node.name.text}.${member.name.getText(source)}`, text);
            }
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return docs;
}

/** Where each section of the arguments is declared. */
const SECTION_INTERFACES: Readonly<Record<string, string>> = {
    "api.throttle": "ThrottleArgs",
    "api.cors": "CorsArgs",
    queue: "QueueArgs",
    processing: "ProcessingArgs",
    functions: "FunctionsArgs",
    alarms: "AlarmsArgs",
};

/** Every number setting with its default, and the JSDoc that documents it. */
function documentedSettings(): Array<{ what: string; setting: NumberSetting; doc: string | undefined }> {
    const args = propertyDocs("args.ts");
    const events = propertyDocs("options/events.ts");
    const workflows = propertyDocs("options/workflows.ts");
    const auth = propertyDocs("options/auth.ts");
    const rows = Object.entries(SETTINGS).map(([arg, setting]) => {
        const field = arg.slice(arg.lastIndexOf(".") + 1);
        const section = arg.slice(0, arg.lastIndexOf("."));
        return { what: arg, setting: setting as NumberSetting, doc: args.get(`${SECTION_INTERFACES[section]}.${field}`) };
    });
    return [
        ...rows,
        { what: "events.archiveRetentionDays", setting: EVENTS_SETTINGS.archiveRetentionDays, doc: events.get("EventsArgs.archiveRetentionDays") },
        { what: "events.subscribers[].maximumRetryAttempts", setting: EVENTS_SETTINGS.maximumRetryAttempts, doc: events.get("EventsSubscriber.maximumRetryAttempts") },
        { what: "events.subscribers[].maximumEventAgeSeconds", setting: EVENTS_SETTINGS.maximumEventAgeSeconds, doc: events.get("EventsSubscriber.maximumEventAgeSeconds") },
        { what: "workflows.shipmentTimeoutSeconds", setting: WORKFLOWS_SETTINGS.shipmentTimeoutSeconds, doc: workflows.get("WorkflowsArgs.shipmentTimeoutSeconds") },
        ...(["passwordMinimumLength", "accessTokenValidityMinutes", "refreshTokenValidityDays"] as const).map((field) => ({
            what: `auth.cognito.${field}`,
            setting: AUTH_SETTINGS[field],
            doc: auth.get(`CognitoArgs.${field}`),
        })),
    ];
}

describe("documented defaults", () => {
    it("should state every number setting's default in its argument's JSDoc, as the resolver applies it", () => {
        const rows = documentedSettings();
        expect(rows.length).to.be.greaterThan(20);
        for (const { what, setting, doc } of rows) {
            expect(doc, `${what} has no JSDoc`).to.be.a("string");
            expect(doc, what).to.match(new RegExp(`Defaults to ${setting.default}\\b`));
        }
    });

    it("should state a range in the JSDoc only as the resolver checks it", () => {
        for (const { what, setting, doc } of documentedSettings()) {
            const range = /\b(\d+) to (\d+)\b/.exec(doc ?? "");
            if (range) expect([Number(range[1]), Number(range[2])], what).to.deep.equal([setting.min, setting.max]);
        }
    });

    it("should state the other defaults as the resolver applies them", () => {
        const args = propertyDocs("args.ts");
        expect(args.get("OrderPipelineArgs.logRetentionDays")).to.match(new RegExp(`Defaults to ${LOG_RETENTION_DAYS}\\b`));
        expect(args.get("OrderPipelineArgs.tracing")).to.match(new RegExp(`Defaults to ${TRACING}\\b`));
        expect(args.get("FunctionsArgs.bundleAwsSdk")).to.match(new RegExp(`Defaults to ${BUNDLE_AWS_SDK}\\b`));
        expect(propertyDocs("options/workflows.ts").get("WorkflowsArgs.logLevel")).to.contain(`Defaults to "${WORKFLOW_LOG_LEVEL}"`);
    });
});
