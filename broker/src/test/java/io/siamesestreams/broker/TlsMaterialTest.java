package io.siamesestreams.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {

  @TempDir
  Path dir;

  @Test
  void shouldCreateABrokerCertificateSignedByItsOwnCaNamingLoopbackAndTheHost() throws Exception {
    TlsMaterial material = TlsMaterial.loadOrCreate(dir.resolve("tls"), List.of("kafka.example"));

    X509Certificate certificate = material.brokerCertificate();
    assertThat(certificate.getSubjectAlternativeNames().stream().map(entry -> (Object) entry.get(1)).toList())
        .containsExactlyInAnyOrder((Object) "127.0.0.1", "localhost", "kafka.example");
    KeyStore truststore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(material.truststore())) {
      truststore.load(in, Files.readString(material.truststorePasswordFile()).toCharArray());
    }
    X509Certificate ca = (X509Certificate) truststore.getCertificate(truststore.aliases().nextElement());
    certificate.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(Files.readString(material.caCertificate())).startsWith("-----BEGIN CERTIFICATE-----");
    KeyStore keystore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(material.keystore())) {
      keystore.load(in, material.keystorePassword().toCharArray());
    }
    assertThat(keystore.getKey("broker", material.keystorePassword().toCharArray())).isNotNull();
  }

  @Test
  void shouldKeepPasswordsRandomOwnerOnlyAndOutOfToString() throws Exception {
    TlsMaterial material = TlsMaterial.loadOrCreate(dir, List.of());

    assertThat(material.truststorePassword()).hasSizeGreaterThanOrEqualTo(40)
        .isNotEqualTo(material.keystorePassword());
    for (String file : List.of(TlsMaterial.KEYSTORE, TlsMaterial.KEYSTORE_PASSWORD, TlsMaterial.TRUSTSTORE_PASSWORD)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))))
          .as(file).isEqualTo("rw-------");
    }
    assertThat(material.toString() + material.clientPropertiesWithoutSecrets())
        .doesNotContain(material.truststorePassword()).doesNotContain(material.keystorePassword());
    assertThat(material.clientProperties()).containsEntry("ssl.truststore.password", material.truststorePassword())
        .containsEntry("ssl.truststore.type", "PKCS12");
  }

  @Test
  void shouldReuseTheMaterialOfAnEarlierStartAndRecreateItForANewHost() {
    TlsMaterial first = TlsMaterial.loadOrCreate(dir, List.of());

    TlsMaterial again = TlsMaterial.loadOrCreate(dir, List.of("LOCALHOST"));
    TlsMaterial otherHost = TlsMaterial.loadOrCreate(dir, List.of("10.1.2.3"));

    assertThat(again.brokerCertificate()).isEqualTo(first.brokerCertificate());
    assertThat(again.truststorePassword()).isEqualTo(first.truststorePassword());
    assertThat(otherHost.brokerCertificate()).isNotEqualTo(first.brokerCertificate());
    assertThat(otherHost.truststorePassword()).isNotEqualTo(first.truststorePassword());
  }
}
