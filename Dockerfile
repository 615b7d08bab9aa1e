# The GitHub Action's image (action.yml: runs.using docker). A pinned
# Debian release, so the Action builds against the same libraries as the
# test suite (libpg_query 15, PostgreSQL 15) whatever the runner's own
# system is. Only what building and running need: ci/install-deps.sh
# --runtime, the script the GitLab template runs too.
FROM debian:bookworm-slim
COPY . /opt/git-schemig
RUN /opt/git-schemig/ci/install-deps.sh --runtime \
 && make -C /opt/git-schemig -j2 git-schemig \
 && make -C /opt/git-schemig install PREFIX=/usr/local \
 && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["/opt/git-schemig/ci/action.sh"]
