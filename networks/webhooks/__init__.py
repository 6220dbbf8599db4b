"""Meta webhooks, Meta's deauthorisation and data-deletion callbacks, and X compliance.

* ``signatures``: verifying what Meta sends (``X-Hub-Signature-256``, ``signed_request``);
* ``services``: storing and processing webhook events; what the callbacks delete;
* ``compliance``: posts deleted on X are deleted here;
* ``views`` / ``urls`` / ``tasks``: the public endpoints and the Celery tasks.

docs/webhooks.md says what to configure in the Meta app dashboard.
"""
