/**
 * The `order-pipeline` package: the {@link OrderPipeline} Pulumi component, its argument types,
 * the shared defaults and the handler bundler. Importing this module creates no resource.
 */
export { OrderPipeline, ORDER_PIPELINE_TYPE, type PipelineFunctions } from "./order-pipeline";
export type {
    AlarmsArgs,
    ApiArgs,
    CorsArgs,
    EmailArgs,
    EncryptionArgs,
    FunctionsArgs,
    OrderPipelineArgs,
    ProcessingArgs,
    QueueArgs,
    TableArgs,
    ThrottleArgs,
} from "./args";
export { isProductionStack, OrderPipelineArgsError, resolveSettings, type PipelineSettings } from "./settings";
export type { AuthArgs, CognitoArgs, MfaMode } from "./auth";
export type { EventsArgs, EventsSubscriber, EventsTarget } from "./events";
export type { WorkflowsArgs } from "./workflows/workflows";
export * from "./defaults";
export { bundleHandler, packageRoot, type BundleOptions, type BundledHandler } from "./bundling";
