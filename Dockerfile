# lexgraph API: slim, non-root. Build: docker build -t lexgraph .
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
COPY graph ./graph
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LEXGRAPH_MIGRATIONS_DIR=/app/migrations \
    LEXGRAPH_SEEDS_DIR=/app/seeds \
    LEXGRAPH_SQLITE_PATH=/data/lexgraph.db
COPY --from=build /install /usr/local
RUN useradd --system --uid 10001 --home-dir /app lexgraph \
    && mkdir -p /app /data && chown lexgraph /data
WORKDIR /app
COPY migrations ./migrations
COPY seeds ./seeds
USER lexgraph
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"]
CMD ["lexgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
