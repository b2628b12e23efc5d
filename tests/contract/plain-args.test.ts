import { expect } from "chai";
import { deferredArgumentProblems } from "../../contract/plain-args";
import { resolvePipelineSettings } from "../../contract/settings";
import { OrderPipelineArgsError } from "../../contract/problems";

/** A value known only at deployment, as the contract sees one (anything with `apply`). */
const output = { apply: () => undefined };

describe("contract/plain-args: which arguments may be values of other resources", () => {
    it("should accept a deferred value in every Input<string> argument and in the tags", () => {
        const args = {
            email: { sender: output, identityArn: Promise.resolve("arn") },
            alarms: { email: output },
            encryption: { kmsKeyArn: output },
            tags: output,
            events: { subscribers: [{ name: "a", pattern: { source: ["x"] }, target: { queueArn: output } }, { name: "b", pattern: {}, target: { functionArn: output, eventBusArn: output } }] },
            auth: { cognito: { userPoolId: output, userPoolClientIds: [output, "abc"] } },
        };
        expect(deferredArgumentProblems(args)).to.deep.equal([]);
        expect(deferredArgumentProblems({ tags: { team: output } })).to.deep.equal([]);
    });

    it("should name every deferred value where a plain one decides the graph, at any depth", () => {
        const problems = deferredArgumentProblems({
            functions: { memoryMb: output },
            tracing: Promise.resolve(true),
            email: output,
            events: { subscribers: [{ name: output, pattern: { source: [output] }, target: { queueArn: "arn" } }] },
            auth: { cognito: { userPoolClientIds: output } },
        });
        expect(problems.map((p) => p.split(" ")[0])).to.deep.equal([
            "functions.memoryMb",
            "tracing",
            "email",
            "events.subscribers[0].name",
            "events.subscribers[0].pattern.source[0]",
            "auth.cognito.userPoolClientIds",
        ]);
        expect(problems[0]).to.include("must be a plain value known before deployment").and.include("email.sender");
        expect(deferredArgumentProblems(output)).to.have.length(1);
    });

    it("should make the resolver refuse such arguments alone, before reading them", () => {
        const resolve = () => resolvePipelineSettings("orders", { processing: { batchSize: output as never }, queue: { maxReceiveCount: 0 } }, { stack: "dev" });
        expect(resolve).to.throw(OrderPipelineArgsError).with.property("problems").that.has.length(1);
        expect(resolve).to.throw(/processing\.batchSize must be a plain value/);
    });
});
