/**
 * The AWS services the components use, under the names `@pulumi/aws` gives them (`aws.sqs.Queue`).
 * Each comes from its own module rather than from `@pulumi/aws` whole, whose index loads every AWS
 * service: every TypeScript program of this package (Pulumi's schema inference of the source-based
 * plugin, the type check) would parse some 2,700 of its declaration files instead of some 300, and
 * Node.js would load some 300 of its modules instead of some 40. A service the components start to
 * use is added here.
 */
export * as apigatewayv2 from "@pulumi/aws/apigatewayv2";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as cognito from "@pulumi/aws/cognito";
export * as dynamodb from "@pulumi/aws/dynamodb";
export { getRegionOutput } from "@pulumi/aws/getRegion";
export * as iam from "@pulumi/aws/iam";
export * as lambda from "@pulumi/aws/lambda";
export * as route53 from "@pulumi/aws/route53";
export * as sesv2 from "@pulumi/aws/sesv2";
export * as sfn from "@pulumi/aws/sfn";
export * as sns from "@pulumi/aws/sns";
export * as sqs from "@pulumi/aws/sqs";
