import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { Tags } from "./args";
import type { ComponentEmailOn } from "./settings";

/** The SES identity that confirmation emails are sent as. */
export interface EmailSender {
    /** The identity the component created, or undefined when an existing identity ARN was given. */
    readonly identity: aws.sesv2.EmailIdentity | undefined;
    /** ARN of the identity to send as (the resource of the send permission). */
    readonly identityArn: pulumi.Input<string>;
    /** The From address (the `ses:FromAddress` condition of the send permission). */
    readonly sender: pulumi.Input<string>;
}

/**
 * The sender identity: the given verified identity ARN, or a new SES email identity for the sender
 * address (`${name}-sender`). SES then mails a verification link to that address, and sends
 * nothing until it is clicked.
 */
export function createEmailSender(name: string, email: ComponentEmailOn, parent: pulumi.Resource, tags: Tags | undefined): EmailSender {
    if (email.identityArn !== undefined) {
        return { identity: undefined, identityArn: email.identityArn, sender: email.sender };
    }
    const identity = new aws.sesv2.EmailIdentity(`${name}-sender`, { emailIdentity: email.sender, tags }, { parent });
    return { identity, identityArn: identity.arn, sender: email.sender };
}
