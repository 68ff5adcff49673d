"""The anchor: a bare ask-sdk-core hello-world skill, the shape of Amazon's Python sample skills,
that creates a boto3 DynamoDB client (as the samples' persistence does) and answers a LaunchRequest."""

import boto3
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

dynamodb = boto3.client("dynamodb")


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        speech = "Welcome, you can say Hello or Help. Which would you like to try?"
        return handler_input.response_builder.speak(speech).ask(speech).response


builder = SkillBuilder()
builder.add_request_handler(LaunchRequestHandler())
handler = builder.lambda_handler()
