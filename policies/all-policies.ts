/**
 * Every rule of the pack, in the order the pack lists them, and the pack's identity. Kept apart
 * from `index.ts` so that tests and other packs can use the rules without constructing a
 * `PolicyPack` (which starts the policy server and keeps the process alive).
 */
import type { Policies } from "@pulumi/policy";
import { apigatewayv2Policies } from "./apigatewayv2";
import { cloudwatchLogsPolicies } from "./cloudwatch-logs";
import { cognitoPolicies } from "./cognito";
import { dynamodbPolicies } from "./dynamodb";
import { eventBridgePolicies } from "./eventbridge";
import { iamPolicies } from "./iam";
import { lambdaPolicies } from "./lambda";
import { withMetadata } from "./metadata";
import { snsPolicies } from "./sns";
import { sqsPolicies } from "./sqs";
import { stepFunctionsPolicies } from "./stepfunctions";

/** The pack's name, as `pulumi policy publish` and the CLI's output show it. */
export const PACK_NAME = "order-pipeline-policies";

/** What the pack checks, in one line. */
export const PACK_DESCRIPTION =
    "Least privilege and serverless pipeline safety on AWS: IAM wildcards, managed policies, condition operators and trust, SQS redrive, visibility and TLS, SNS TLS, Lambda runtimes and roles, DynamoDB recovery, API throttling, access logs and authorization, Cognito passwords and MFA, log retention, EventBridge target DLQs, retries and open buses, Step Functions logging, tracing and catches.";

/** Every rule of the pack, each with its metadata (remediation, url, cdk-nag framework). */
export const allPolicies: Policies = [
    ...iamPolicies,
    ...lambdaPolicies,
    ...sqsPolicies,
    ...snsPolicies,
    ...dynamodbPolicies,
    ...apigatewayv2Policies,
    ...cloudwatchLogsPolicies,
    ...eventBridgePolicies,
    ...stepFunctionsPolicies,
    ...cognitoPolicies,
].map(withMetadata);
