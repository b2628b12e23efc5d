/**
 * The `order-pipeline` package: the {@link OrderPipeline} Pulumi component, its argument types,
 * the shared defaults and the handler bundler. Importing this module creates no resource.
 */
export {
    OrderPipeline,
    ORDER_PIPELINE_TYPE,
    type PipelineFunctionLogGroups,
    type PipelineFunctionNames,
    type PipelineFunctionRoles,
    type PipelineFunctions,
    type PipelineLambdaFunctions,
} from "./order-pipeline";
export type {
    AlarmsArgs,
    ApiArgs,
    AuthArgs,
    CognitoArgs,
    CorsArgs,
    EmailArgs,
    EncryptionArgs,
    EventsArgs,
    EventsSubscriber,
    EventsTarget,
    FunctionsArgs,
    OrderPipelineArgs,
    ProcessingArgs,
    QueueArgs,
    TableArgs,
    Tags,
    ThrottleArgs,
    WorkflowsArgs,
} from "./args";
export { MfaMode } from "../contract/options/auth";
export { WorkflowLogLevel } from "../contract/options/workflows";
export { resolveSettings, type ComponentSettings as PipelineSettings } from "./settings";
export { OrderPipelineArgsError } from "../contract/problems";
export * from "../contract/defaults";
export * from "../contract/environment";
export * from "../contract/functions";
export { stackArgs, STACK_CONFIG_KEYS, StackConfigError, type ConfigSource, type StackArgs } from "../contract/stack-config";
export { bundleHandler, packageRoot, type BundleOptions, type BundledHandler } from "./bundling";
