/** The pack's config: every schema is one the CLI accepts, and the example config validates against them. */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { allPolicies } from "../../policies/all-policies";
import { resolveConfig } from "./harness";

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

describe("policy pack config", () => {
    it("should name every policy uniquely in kebab-case, describe it as \"Checks that ...\", and set its level", () => {
        const names = allPolicies.map((p) => p.name);
        expect(new Set(names).size).to.equal(names.length);
        for (const policy of allPolicies) {
            expect(policy.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)+$/);
            expect(policy.description, policy.name).to.match(/^Checks that /);
            expect(LEVELS, policy.name).to.include(policy.enforcementLevel);
        }
    });

    it("should make every least-privilege rule mandatory", () => {
        const leastPrivilege = allPolicies.filter((p) => p.tags?.includes("least-privilege"));
        expect(leastPrivilege.map((p) => p.name)).to.include.members(["iam-no-wildcard-actions", "iam-no-wildcard-resources", "lambda-no-shared-roles"]);
        for (const policy of leastPrivilege) expect(policy.enforcementLevel, policy.name).to.equal("mandatory");
    });

    it("should keep enforcementLevel out of the schemas (the policy server refuses it there) and give every property a default", () => {
        for (const policy of allPolicies.filter((p) => p.configSchema)) {
            expect(policy.configSchema!.properties, policy.name).not.to.have.property("enforcementLevel");
            for (const [key, property] of Object.entries(policy.configSchema!.properties)) {
                expect(property, `${policy.name}.${key}`).to.have.property("default");
            }
        }
    });

    it("should validate the example config (policies/config.example.json) against the schemas", async () => {
        const example = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../policies/config.example.json"), "utf8")) as Record<string, unknown>;
        for (const [name, value] of Object.entries(example)) {
            const policy = allPolicies.find((p) => p.name === name);
            expect(policy, name).not.to.equal(undefined);
            if (typeof value === "string") {
                expect(LEVELS).to.include(value);
                continue;
            }
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            if (enforcementLevel !== undefined) expect(LEVELS).to.include(enforcementLevel);
            const resolved = await resolveConfig(policy!, properties);
            expect(resolved).to.deep.include(properties);
        }
    });
});
