package io.siamesestreams.cli;

import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.broker.AclFile;
import io.siamesestreams.broker.BrokerSettings;
import io.siamesestreams.broker.EmbeddedKafkaBroker;
import io.siamesestreams.broker.ScramSecurity;
import io.siamesestreams.broker.TlsMaterial;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code siamese broker}: a single-node KRaft Kafka broker in this process, until Ctrl-C.
 *
 * <p>Without options the client listener is PLAINTEXT with no authorisation. {@code --scram-users}
 * turns on SASL/SCRAM-SHA-512 and the KRaft StandardAuthorizer (deny unless an ACL allows), {@code
 * --acls} grants an ACL file's roles (e.g. {@code topics/acls.json}), {@code --tls DIR} puts TLS on the
 * client listener with key material kept in DIR ({@link TlsMaterial}). Passwords are read from files
 * and never printed; what clients need is written to {@code DIR/client.properties} (no secrets) and
 * the paths of the secret files are printed. Exit status 2 for bad options or files, before any
 * broker starts.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a single-node Apache Kafka broker (KRaft, broker + controller) in this process until Ctrl-C.",
      "Prints its bootstrap address on stdout. Topics are not created automatically: run `siamese topics apply`.",
      "Secured: --scram-users FILE (SASL/SCRAM-SHA-512 + ACL authorisation), --acls FILE, --tls DIR."
    })
public final class BrokerCommand implements Callable<Integer> {

  /** Name of the client settings file written into the {@code --tls} directory. */
  public static final String CLIENT_PROPERTIES = "client.properties";

  @Spec
  CommandSpec spec;

  @Option(names = "--port", defaultValue = "9092", description = "Client port (default ${DEFAULT-VALUE}); 0 picks a free one.")
  int port;

  @Option(names = "--host", defaultValue = BrokerSettings.DEFAULT_HOST,
      description = "Address to bind and advertise (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--controller-port", defaultValue = "0", description = "KRaft controller port; 0 (default) picks a free one.")
  int controllerPort;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Log directory, kept across restarts; default: a temporary directory deleted on exit.")
  Path data;

  @Option(names = "--scram-users", paramLabel = "FILE",
      description = "Turns on SASL/SCRAM-SHA-512 and ACL authorisation (deny unless allowed). FILE holds"
          + " user=password lines (Java properties), the super user among them. Passwords are never taken"
          + " on the command line nor printed.")
  Path scramUsers;

  @Option(names = "--super-user", defaultValue = "admin", paramLabel = "USER",
      description = "The user of --scram-users that may do everything (the broker's own identity too;"
          + " default ${DEFAULT-VALUE}).")
  String superUser;

  @Option(names = "--acls", paramLabel = "FILE",
      description = "Grants the roles of this ACL file (format of topics/acls.json) at start; needs"
          + " --scram-users. Each role's user is named like the role unless --acl-user says otherwise.")
  Path acls;

  @Option(names = "--acl-user", paramLabel = "ROLE=USER",
      description = "The user of an ACL role (repeatable), e.g. --acl-user gateway=camera-gw-1.")
  Map<String, String> aclUsers = new LinkedHashMap<>();

  @Option(names = "--application-id", defaultValue = ServiceConfig.DEFAULT_APPLICATION_ID,
      description = "The service's application.id for the ACLs' {application.id} (default ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--tls", paramLabel = "DIR",
      description = "TLS on the client listener (SASL_SSL with --scram-users, else SSL). DIR keeps a CA and the"
          + " broker's certificate (created if missing, reused after), the truststore for clients and its"
          + " password file, and client.properties.")
  Path tls;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    BrokerSettings settings;
    AclFile aclFile = null;
    try {
      settings = new BrokerSettings(host, port, controllerPort, data, Map.of());
      if (acls != null && scramUsers == null) {
        throw new IllegalArgumentException("--acls needs --scram-users (ACLs name authenticated users)");
      }
      if (!aclUsers.isEmpty() && acls == null) {
        throw new IllegalArgumentException("--acl-user needs --acls");
      }
      if (scramUsers != null) {
        settings = settings.withScramSecurity(ScramSecurity.fromFile(scramUsers, superUser));
      }
      if (acls != null) {
        aclFile = AclFile.load(acls);
        checkAclUsers(aclFile, settings.security());
      }
      if (tls != null) {
        settings = settings.withTls(TlsMaterial.loadOrCreate(tls, List.of(host)));
      }
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      err.println("siamese broker: " + e.getMessage());
      return 2;
    }
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println("bootstrap: " + broker.bootstrapServers());
    out.println("data: " + broker.dataDirectory() + (data == null ? " (temporary)" : ""));
    if (settings.security() != null) {
      out.println("security: " + settings.clientProtocol() + ", " + ScramSecurity.MECHANISM + ", users of "
          + scramUsers + ": " + new TreeSet<>(settings.security().allUsers().keySet()) + " (super user "
          + superUser + "); ACL authorisation (deny unless allowed)");
    }
    if (aclFile != null) {
      int granted = grant(broker, aclFile, settings.security());
      out.println("acls: " + granted + " bindings from " + acls + " (application id " + applicationId + ", users "
          + aclUsers(aclFile) + ")");
    }
    if (settings.tls() != null) {
      printTls(out, settings, broker.bootstrapServers());
    } else if (settings.security() != null) {
      out.println("clients: security.protocol=" + settings.clientProtocol() + ", sasl.mechanism="
          + ScramSecurity.MECHANISM + ", the secret in the environment:");
      out.println("  export SIAMESE_KAFKA_SASL_JAAS_CONFIG='" + ScramSecurity.jaasConfig("USER", "PASSWORD") + "'");
    }
    out.println("Ctrl-C stops the broker.");
    out.flush();
    broker.awaitShutdown();
    return 0;
  }

  private Map<String, String> aclUsers(AclFile file) {
    Map<String, String> users = file.usersNamedAfterRoles();
    users.putAll(aclUsers);
    return users;
  }

  private void checkAclUsers(AclFile file, ScramSecurity security) {
    for (String role : aclUsers.keySet()) {
      if (!file.roles().contains(role)) {
        throw new IllegalArgumentException("--acl-user " + role + ": no such role in " + acls + " " + file.roles());
      }
    }
    Map<String, String> users = aclUsers(file);
    users.forEach((role, user) -> {
      if (!security.allUsers().containsKey(user)) {
        throw new IllegalArgumentException("ACL role " + role + ": user " + user + " has no line in " + scramUsers);
      }
    });
    file.bindings(Topics.defaults().namesByDefault(), applicationId, users); // fails here, before the broker starts, on a bad file
  }

  private int grant(EmbeddedKafkaBroker broker, AclFile file, ScramSecurity security) {
    List<AclBinding> bindings = file.bindings(Topics.defaults().namesByDefault(), applicationId, aclUsers(file));
    try (Admin admin = Admin.create(new HashMap<>(broker.clientProperties(security.superUser())))) {
      AclFile.apply(admin, bindings, Duration.ofSeconds(60));
      return bindings.size();
    } catch (IllegalStateException e) {
      broker.close();
      throw new IllegalStateException("cannot create the ACLs of " + acls + ": " + e.getMessage(), e);
    }
  }

  private void printTls(PrintWriter out, BrokerSettings settings, String bootstrap) {
    TlsMaterial material = settings.tls();
    Path clientProperties = material.directory().resolve(CLIENT_PROPERTIES);
    Properties properties = new Properties();
    properties.put("security.protocol", settings.clientProtocol());
    if (settings.security() != null) {
      properties.put("sasl.mechanism", ScramSecurity.MECHANISM);
    }
    properties.putAll(material.clientPropertiesWithoutSecrets());
    try (OutputStream file = Files.newOutputStream(clientProperties)) {
      properties.store(file, "Client settings for " + bootstrap + ", without secrets: pass them in the environment (see siamese broker's output)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + clientProperties, e);
    }
    out.println("tls: certificate for " + material.brokerCertificate().getSubjectX500Principal().getName()
        + " valid until " + material.brokerCertificate().getNotAfter().toInstant() + ", signed by the CA in "
        + material.caCertificate());
    out.println("truststore: " + material.truststore() + " (" + TlsMaterial.STORE_TYPE + ", password in "
        + material.truststorePasswordFile() + ")");
    out.println("clients: --config " + clientProperties + " and the secrets in the environment:");
    out.println("  export SIAMESE_KAFKA_SSL_TRUSTSTORE_PASSWORD=\"$(cat " + material.truststorePasswordFile() + ")\"");
    if (settings.security() != null) {
      out.println("  export SIAMESE_KAFKA_SASL_JAAS_CONFIG='" + ScramSecurity.jaasConfig("USER", "PASSWORD") + "'");
    }
    out.println("  non-Java clients: CA file " + material.caCertificate() + " (e.g. kcat -X ssl.ca.location=…)");
  }
}
