# syntax=docker/dockerfile:1
# The Siamese Streams image: the streams module's CLI (`siamese run`, `topics`, `enroll`, `produce`,
# `watch`, `demo`) with the shipped Fashion-MNIST model bundle, the topic definitions and the sample
# images of the docker compose stack. Built by `docker compose build` (see docker-compose.yml).

# ---- build: the streams module and what it depends on, with the Maven wrapper ----
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl streams -am package -DskipTests

# ---- run: a JRE 17 image with the jar, its libraries, topics/, the model and the samples ----
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/streams/target/siamese-streams.jar /app/siamese-streams.jar
COPY --from=build /src/streams/target/lib /app/lib
COPY topics /app/topics
COPY models/fashion-mnist /app/models/fashion-mnist
COPY docker/samples /app/samples
COPY docker/siamese /usr/local/bin/siamese
RUN chmod 0755 /usr/local/bin/siamese && mkdir -p /var/lib/siamese
# Exact 1:N search uses the JDK Vector API when the JVM has this module (plain Java otherwise).
ENV JDK_JAVA_OPTIONS="--add-modules jdk.incubator.vector"
# Prometheus metrics and /health of `siamese run` (and `siamese demo`).
EXPOSE 9464
ENTRYPOINT ["siamese"]
CMD ["--help"]
