# Build: a static, stripped binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY main.go ./
COPY internal/ internal/
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/chatwork-notify . \
 && mkdir -p /out/tmp && chmod 1777 /out/tmp

# Run: nothing but the binary, CA certificates and a writable /tmp.
# No USER line: container actions must run as root to write the workspace
# and the runner's file-command files.
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/tmp /tmp
COPY --from=build /out/chatwork-notify /chatwork-notify
ENTRYPOINT ["/chatwork-notify"]
