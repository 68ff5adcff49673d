"""Infrastructure as code: the CloudFormation template and the packaging that feeds it."""
