"""An order pipeline from Python, through the order-pipeline component package.

The same pipeline as examples/yaml and examples/typescript. `pulumi install` (or
`pulumi package add ../..`) generates the `pulumi_order_pipeline` SDK that this imports. Option
objects are dictionaries with snake_case keys; tag names and event pattern fields are data and are
sent as written.
"""

import pulumi
import pulumi_order_pipeline as order_pipeline

orders = order_pipeline.OrderPipeline(
    "orders",
    api={
        "throttle": {"burst_limit": 200, "rate_limit": 100},
        "cors": {"allow_origins": ["https://shop.example.com"], "max_age_seconds": 600},
    },
    queue={"max_receive_count": 5, "retention_seconds": 604800},
    processing={"batch_size": 20, "max_batching_window_seconds": 2, "maximum_concurrency": 10},
    functions={"memory_mb": 512, "process_timeout_seconds": 60},
    table={"deletion_protection": True},
    email={"sender": "orders@example.com", "domain": "example.com"},
    alarms={"email": "ops@example.com", "oldest_message_age_seconds": 600},
    encryption={"kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
    tracing=True,
    dashboard=True,
    log_retention_days=90,
    tags={"team": "shop"},
    events={
        "archive_retention_days": 60,
        "subscribers": [
            {
                "name": "analytics",
                "pattern": {"detail-type": ["OrderPlaced"]},
                "target": {"queue_arn": "arn:aws:sqs:eu-west-1:123456789012:order-analytics"},
            }
        ],
    },
    auth={"cognito": {"mfa": order_pipeline.MfaMode.ON, "password_minimum_length": 14}},
    workflows={"shipment_timeout_seconds": 259200, "log_level": order_pipeline.WorkflowLogLevel.ALL},
)

pulumi.export("ordersEndpoint", orders.orders_endpoint)
pulumi.export("apiUrl", orders.api_url)
pulumi.export("deadLetterQueueUrl", orders.dead_letter_queue_url)
pulumi.export("tableName", orders.table_name)
pulumi.export("functionNames", orders.function_names)
pulumi.export("eventBusName", orders.event_bus_name)
pulumi.export("shipmentQueueUrl", orders.shipment_queue_url)
pulumi.export("userPoolId", orders.user_pool_id)
