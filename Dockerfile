# syntax=docker/dockerfile:1
# Three images from one build (see docker-compose.yml):
#   service (the default, last stage): the deployable verification service, `siamese run`, with the shipped
#     Fashion-MNIST model bundle. Its lib/ holds the service module's runtime classpath only: no broker, no
#     Scala, no BouncyCastle, no jvector, no tools, no FFmpeg.
#   tools (--target tools): the command-line clients the compose stack runs around the service (`siamese topics`,
#     `enroll`, `produce`, `watch`), with the topic definitions and the sample images.
#   gateway (--target gateway): the camera gateway, `siamese gateway` (FFmpeg natives from its jars), with the
#     compose stack's cameras file and the sample images its cameras play.

# ---- build: the service, tools and gateway modules and what they depend on, with the Maven wrapper ----
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl service,tools,gateway -am package -DskipTests

# ---- tools: a JRE 17 image with the tools jar, its libraries, topics/ and the samples ----
FROM eclipse-temurin:17-jre AS tools
WORKDIR /app
COPY --from=build /src/tools/target/siamese-tools.jar /app/siamese-tools.jar
COPY --from=build /src/tools/target/lib /app/lib
COPY topics /app/topics
COPY docker/samples /app/samples
COPY docker/siamese /usr/local/bin/siamese
RUN chmod 0755 /usr/local/bin/siamese
ENV SIAMESE_JAR=/app/siamese-tools.jar
ENTRYPOINT ["siamese"]
CMD ["--help"]

# ---- gateway: a JRE 17 image with the gateway jar, its libraries, the cameras file and the samples ----
FROM eclipse-temurin:17-jre AS gateway
WORKDIR /app
COPY --from=build /src/gateway/target/siamese-gateway.jar /app/siamese-gateway.jar
COPY --from=build /src/gateway/target/lib /app/lib
COPY docker/cameras.yml /app/cameras.yml
COPY docker/samples /app/samples
COPY docker/siamese /usr/local/bin/siamese
RUN chmod 0755 /usr/local/bin/siamese
ENV SIAMESE_JAR=/app/siamese-gateway.jar
# Prometheus metrics of `siamese gateway --metrics-port 9465`.
EXPOSE 9465
ENTRYPOINT ["siamese"]
CMD ["--help"]

# ---- service: a JRE 17 image with the service jar, its libraries and the model ----
FROM eclipse-temurin:17-jre AS service
WORKDIR /app
COPY --from=build /src/service/target/siamese-service.jar /app/siamese-service.jar
COPY --from=build /src/service/target/lib /app/lib
COPY models/fashion-mnist /app/models/fashion-mnist
COPY docker/siamese /usr/local/bin/siamese
RUN chmod 0755 /usr/local/bin/siamese && mkdir -p /var/lib/siamese
ENV SIAMESE_JAR=/app/siamese-service.jar
# Exact 1:N search uses the JDK Vector API when the JVM has this module (plain Java otherwise).
ENV JDK_JAVA_OPTIONS="--add-modules jdk.incubator.vector"
# Prometheus metrics and /health of `siamese run`.
EXPOSE 9464
ENTRYPOINT ["siamese"]
CMD ["run", "--help"]
