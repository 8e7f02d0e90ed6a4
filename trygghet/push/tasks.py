"""Push's background job: one notification to one device."""

from datetime import datetime

from procrastinate.contrib.django import app
from procrastinate.retry import RetryStrategy

from trygghet.push.delivery import PushFailed, push_deliver

# A call-out is urgent or useless: five tries over about six minutes, well within the
# notification's time to live.
PUSH_RETRY = RetryStrategy(max_attempts=5, exponential_wait=3, retry_exceptions={PushFailed})


@app.task(retry=PUSH_RETRY)
def push_send(
    subscription_id: int, title: str, body: str, url: str, tag: str, event_at: str
) -> None:
    push_deliver(
        subscription_id=subscription_id,
        title=title,
        body=body,
        url=url,
        tag=tag,
        event_at=datetime.fromisoformat(event_at),
    )
