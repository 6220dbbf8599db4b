"""Docker healthcheck of the web container: does Django answer its login page?

It asks as the TLS-terminating proxy would (``X-Forwarded-Proto: https``, an allowed ``Host``), so
production's HTTPS redirect and host validation do not turn a healthy server into a failure.
Exits 0 when healthy, 1 otherwise.
"""

import os
import sys
import urllib.error
import urllib.request

URL = "http://127.0.0.1:8000/accounts/login/"


def allowed_host() -> str:
    first = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")[0].strip().lstrip(".")
    return first if first and first != "*" else "localhost"


def main() -> int:
    request = urllib.request.Request(URL, headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (fixed http URL)
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, TimeoutError) as error:
        sys.stderr.write(f"unhealthy: {error}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
