# Raati from its wheel. One image: the web app by default (CMD), the Prefect server, workers
# (`raati worker --pool raati`) and one-shot commands (`raati db upgrade`, `raati deploy --pool raati`)
# run from it too; see compose.yaml. No checkout is needed at run time: the flows are imported from the package.
# The image has the extras `server` (the Prefect server, so one image serves every part) and `sso` (single sign-on).
#   docker build -t raati .

# Stage 1: build the wheel from the source (setuptools, as pyproject.toml declares).
FROM python:3.11-slim AS wheel
WORKDIR /src
# prefect.yaml at the root, where the link flows/prefect.yaml points: the wheel carries the file itself.
COPY pyproject.toml README.md prefect.yaml ./
COPY domain ./domain
COPY application ./application
COPY persistence ./persistence
COPY notifications ./notifications
COPY flows ./flows
COPY web ./web
COPY cli ./cli
COPY wiring ./wiring
RUN pip install --no-cache-dir --disable-pip-version-check build \
    && python -m build --wheel --outdir /dist

# Stage 2: only the installed package, run as an unprivileged user.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RAATI_DATA_DIR=/var/lib/raati \
    PREFECT_HOME=/var/lib/raati/prefect \
    PREFECT_SERVER_ANALYTICS_ENABLED=false
COPY --from=wheel /dist/ /tmp/dist/
# prefect (in `server`) and prefect-client (a default dependency) install the same files; prefect is put in last
# so that each shared file is its own version.
RUN wheel="$(ls /tmp/dist/raati-*.whl)" && pip install "${wheel}[server,sso]" \
    && pip install --force-reinstall --no-deps "prefect==$(pip show prefect | sed -n 's/^Version: //p')" \
    && rm -rf /tmp/dist \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/raati --create-home raati
USER raati
WORKDIR /var/lib/raati
EXPOSE 8000
# Liveness of the web app (/readyz also checks the database). Workers and the Prefect server get their own
# checks in compose.yaml.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# `raati worker` stops taking runs at once on SIGINT or SIGTERM; uvicorn stops on either.
STOPSIGNAL SIGINT
CMD ["raati", "web", "--host", "0.0.0.0", "--port", "8000"]
