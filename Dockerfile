# The operator image: `docker build -t REGISTRY/reloadly-credential-operator:0.1.0 .` from the
# repository root, then push it and install the chart with image.repository=REGISTRY/... .

# --- build: the shaded jar, as the README builds it -------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Poms and the wrapper first: the dependency layer below is rebuilt only when they change, not on
# every source edit. go-offline misses a few artifacts resolved late (the protoc binary for the
# build machine, plugin providers); the package step fetches those.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY operator/pom.xml operator/pom.xml
RUN ./mvnw -B -q dependency:go-offline
# The jar carries the committed CRDs and samples (the demo applies them), so they are sources too.
COPY crds crds
COPY samples samples
COPY operator/src/main operator/src/main
RUN ./mvnw -B -q package -DskipTests

# --- run: no shell, no package manager, a non-root user ----------------------------------------
# distroless "nonroot" runs as UID/GID 65532; the chart's securityContext names the same IDs
# (a test compares them), so runAsNonRoot can be checked by the kubelet without guessing.
FROM gcr.io/distroless/java17-debian12:nonroot
# Owned by root and read-only to the operator: the process cannot change its own code. The
# operator writes nothing to disk; the chart mounts an emptyDir at /tmp (java.io.tmpdir) and a
# read-only root file system.
COPY --from=build /src/operator/target/reloadly-credential-operator.jar /app/reloadly-credential-operator.jar
USER 65532:65532
ENTRYPOINT ["java", "-jar", "/app/reloadly-credential-operator.jar"]
CMD ["run"]
