# auditmd in a container: built by the same script the tests and the GitHub
# Action build it with (scripts/build.sh: scripts/deps.sh, then meson), then
# copied alone into a small runtime image: the binary, the shared libraries
# it loads (scripts/bundle.sh) and the templates.
#
#   docker build -t auditmd .
#   docker run --rm auditmd --version
#   docker run --rm -v "$PWD:/src" -w /src auditmd verify --format text docs/AUDIT.md

FROM debian:12-slim AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
COPY . .
RUN scripts/build.sh --deps --bundle /tmp/build /opt/auditmd -Dbuildtype=release

FROM debian:12-slim
COPY --from=build /opt/auditmd/bin/ /usr/local/bin/
COPY --from=build /opt/auditmd/libexec/auditmd/ /usr/local/libexec/auditmd/
COPY --from=build /opt/auditmd/lib/auditmd/ /usr/local/lib/auditmd/
COPY --from=build /opt/auditmd/share/auditmd/ /usr/local/share/auditmd/
# git refuses repositories owned by another user: a mounted checkout is one.
RUN printf '[safe]\n\tdirectory = *\n' >/etc/gitconfig
WORKDIR /src
ENTRYPOINT ["auditmd"]
CMD ["--help"]
