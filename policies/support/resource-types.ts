/**
 * Pulumi type tokens of the AWS resources the rules inspect. The rules match resources by token
 * rather than by `@pulumi/aws` class, so the pack loads without the AWS provider SDK and applies to
 * stacks written in any language.
 */
export const AwsType = {
    iamPolicy: "aws:iam/policy:Policy",
    iamRole: "aws:iam/role:Role",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamUserPolicy: "aws:iam/userPolicy:UserPolicy",
    iamGroupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    iamUserPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    iamGroupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    iamRolePolicyAttachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    iamUserPolicyAttachmentsExclusive: "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
    iamGroupPolicyAttachmentsExclusive: "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
    lambdaFunction: "aws:lambda/function:Function",
    lambdaEventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
    sqsQueue: "aws:sqs/queue:Queue",
    sqsQueuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    sqsRedrivePolicy: "aws:sqs/redrivePolicy:RedrivePolicy",
    sqsRedriveAllowPolicy: "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
    dynamodbTable: "aws:dynamodb/table:Table",
    apigatewayv2Stage: "aws:apigatewayv2/stage:Stage",
    cloudwatchLogGroup: "aws:cloudwatch/logGroup:LogGroup",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    eventBus: "aws:cloudwatch/eventBus:EventBus",
    eventArchive: "aws:cloudwatch/eventArchive:EventArchive",
    sfnStateMachine: "aws:sfn/stateMachine:StateMachine",
    eventBusPolicy: "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
    eventPermission: "aws:cloudwatch/eventPermission:EventPermission",
    snsTopic: "aws:sns/topic:Topic",
    snsTopicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    kmsKey: "aws:kms/key:Key",
    apigatewayv2Route: "aws:apigatewayv2/route:Route",
    cognitoUserPool: "aws:cognito/userPool:UserPool",
} as const;

/** One of the tokens above. */
export type AwsTypeToken = (typeof AwsType)[keyof typeof AwsType];
