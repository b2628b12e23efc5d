/**
 * The policy pack's entry point, run by the Pulumi CLI (`pulumi preview --policy-pack policies`).
 * Constructing the PolicyPack starts the policy server: it listens on 127.0.0.1, prints its port
 * for the CLI and serves until the CLI stops it. The rules live in their own modules.
 */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies, PACK_DESCRIPTION, PACK_NAME } from "./all-policies";

new PolicyPack(PACK_NAME, { description: PACK_DESCRIPTION, policies: allPolicies });
