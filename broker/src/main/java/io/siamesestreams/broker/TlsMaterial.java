package io.siamesestreams.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS key material of an {@link EmbeddedKafkaBroker}'s client listener, kept in one directory:
 *
 * <ul>
 *   <li>{@value #CA_CERTIFICATE}: a certificate authority made for this directory (PEM, for non-Java
 *       clients such as {@code kcat -X ssl.ca.location=…});
 *   <li>{@value #TRUSTSTORE}: a PKCS12 truststore holding only that CA certificate, its password in
 *       {@value #TRUSTSTORE_PASSWORD} (what Java clients set as {@code ssl.truststore.*});
 *   <li>{@value #KEYSTORE}: the broker's EC P-256 key and its certificate signed by the CA (subject
 *       alternative names: {@code 127.0.0.1}, {@code localhost} and the broker's host), its password in
 *       {@value #KEYSTORE_PASSWORD}.
 * </ul>
 *
 * <p>Passwords are 32 random bytes (base64url); the password files and the keystore are readable by
 * their owner only (on POSIX file systems). {@link #loadOrCreate} reuses what an earlier start left in
 * the directory, so clients keep trusting a restarted broker, and creates everything anew when a file is
 * missing, the certificate expires within {@link #RENEW_BEFORE} or does not name a requested host.
 * {@link #toString()} never shows a password.
 */
public final class TlsMaterial {

  public static final String CA_CERTIFICATE = "ca.pem";
  public static final String TRUSTSTORE = "truststore.p12";
  public static final String TRUSTSTORE_PASSWORD = "truststore.password";
  public static final String KEYSTORE = "broker.p12";
  public static final String KEYSTORE_PASSWORD = "broker.password";
  public static final String STORE_TYPE = "PKCS12";

  /** How long a created certificate is valid. */
  public static final Duration VALIDITY = Duration.ofDays(365);
  /** A certificate that expires sooner than this is replaced at start. */
  public static final Duration RENEW_BEFORE = Duration.ofDays(7);

  private static final Logger log = LoggerFactory.getLogger(TlsMaterial.class);
  private static final String KEY_ALIAS = "broker";
  private static final String CA_ALIAS = "siamese-ca";
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path directory;
  private final String truststorePassword;
  private final String keystorePassword;
  private final X509Certificate brokerCertificate;

  private TlsMaterial(Path directory, String truststorePassword, String keystorePassword,
      X509Certificate brokerCertificate) {
    this.directory = directory;
    this.truststorePassword = truststorePassword;
    this.keystorePassword = keystorePassword;
    this.brokerCertificate = brokerCertificate;
  }

  /**
   * The material in {@code directory} (created if needed) for a broker reached as any of {@code hosts}
   * (besides {@code 127.0.0.1} and {@code localhost}, which are always included).
   */
  public static TlsMaterial loadOrCreate(Path directory, Collection<String> hosts) {
    Path dir = directory.toAbsolutePath();
    Set<String> names = new LinkedHashSet<>(List.of("127.0.0.1", "localhost"));
    hosts.forEach(host -> names.add(host.toLowerCase(Locale.ROOT)));
    try {
      Files.createDirectories(dir);
      String reason = reasonToRecreate(dir, names);
      if (reason == null) {
        return load(dir);
      }
      log.info("creating TLS material in {} ({})", dir, reason);
      return create(dir, names);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write TLS material to " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create TLS material in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The directory holding the files. */
  public Path directory() {
    return directory;
  }

  /** The CA certificate (PEM). */
  public Path caCertificate() {
    return directory.resolve(CA_CERTIFICATE);
  }

  /** The PKCS12 truststore holding the CA certificate. */
  public Path truststore() {
    return directory.resolve(TRUSTSTORE);
  }

  /** The file holding the truststore's password. */
  public Path truststorePasswordFile() {
    return directory.resolve(TRUSTSTORE_PASSWORD);
  }

  /** The truststore's password (a secret: never log it). */
  public String truststorePassword() {
    return truststorePassword;
  }

  /** The PKCS12 keystore with the broker's key and certificate chain. */
  public Path keystore() {
    return directory.resolve(KEYSTORE);
  }

  /** The keystore's password, also the key's (a secret: never log it). */
  public String keystorePassword() {
    return keystorePassword;
  }

  /** The broker's certificate. */
  public X509Certificate brokerCertificate() {
    return brokerCertificate;
  }

  /** Broker settings: the keystore for the listener, the truststore for the broker's own client side. */
  public Map<String, String> brokerProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("ssl.keystore.type", STORE_TYPE);
    properties.put("ssl.keystore.location", keystore().toString());
    properties.put("ssl.keystore.password", keystorePassword);
    properties.put("ssl.key.password", keystorePassword);
    properties.putAll(clientProperties());
    return properties;
  }

  /** Client settings to trust the broker: {@code ssl.truststore.type}, {@code .location} and {@code .password}. */
  public Map<String, String> clientProperties() {
    Map<String, String> properties = new LinkedHashMap<>(clientPropertiesWithoutSecrets());
    properties.put("ssl.truststore.password", truststorePassword);
    return properties;
  }

  /** {@link #clientProperties()} without the password (fit for a config file; pass the password apart). */
  public Map<String, String> clientPropertiesWithoutSecrets() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("ssl.truststore.type", STORE_TYPE);
    properties.put("ssl.truststore.location", truststore().toString());
    return properties;
  }

  /** Paths and the certificate's subject only: passwords never reach a log through {@code toString}. */
  @Override
  public String toString() {
    return "TlsMaterial[directory=" + directory + ", certificate=" + brokerCertificate.getSubjectX500Principal()
        + ", notAfter=" + brokerCertificate.getNotAfter().toInstant() + ", passwords=[hidden]]";
  }

  private static String reasonToRecreate(Path dir, Set<String> names) throws IOException {
    for (String file : List.of(CA_CERTIFICATE, TRUSTSTORE, TRUSTSTORE_PASSWORD, KEYSTORE, KEYSTORE_PASSWORD)) {
      if (!Files.isRegularFile(dir.resolve(file))) {
        return file + " missing";
      }
    }
    X509Certificate certificate;
    try {
      certificate = load(dir).brokerCertificate;
    } catch (RuntimeException e) {
      return "cannot read the existing keystore: " + e.getMessage();
    }
    if (certificate.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
      return "the certificate expires on " + certificate.getNotAfter().toInstant();
    }
    Set<String> covered = subjectAlternativeNames(certificate);
    if (!covered.containsAll(names)) {
      return "the certificate names " + covered + ", not all of " + names;
    }
    return null;
  }

  private static TlsMaterial load(Path dir) {
    try {
      String truststorePassword = Files.readString(dir.resolve(TRUSTSTORE_PASSWORD), StandardCharsets.UTF_8).trim();
      String keystorePassword = Files.readString(dir.resolve(KEYSTORE_PASSWORD), StandardCharsets.UTF_8).trim();
      KeyStore keystore = KeyStore.getInstance(STORE_TYPE);
      try (InputStream in = Files.newInputStream(dir.resolve(KEYSTORE))) {
        keystore.load(in, keystorePassword.toCharArray());
      }
      KeyStore truststore = KeyStore.getInstance(STORE_TYPE);
      try (InputStream in = Files.newInputStream(dir.resolve(TRUSTSTORE))) {
        truststore.load(in, truststorePassword.toCharArray());
      }
      if (!(keystore.getCertificate(KEY_ALIAS) instanceof X509Certificate certificate)
          || !truststore.isCertificateEntry(CA_ALIAS)) {
        throw new IllegalStateException("unexpected keystore or truststore content in " + dir);
      }
      certificate.verify(truststore.getCertificate(CA_ALIAS).getPublicKey());
      return new TlsMaterial(dir, truststorePassword, keystorePassword, certificate);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read TLS material in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bad TLS material in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static TlsMaterial create(Path dir, Set<String> names)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    KeyPair caKeys = generator.generateKeyPair();
    KeyPair brokerKeys = generator.generateKeyPair();
    Instant now = Instant.now();
    Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
    Date notAfter = Date.from(now.plus(VALIDITY));
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

    X500Name caName = new X500Name("CN=Siamese Streams broker CA " + now.getEpochSecond());
    X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serialNumber(), notBefore, notAfter,
        caName, caKeys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
        .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
    X509Certificate caCertificate = sign(ca, caKeys);

    List<GeneralName> alternativeNames = new ArrayList<>();
    for (String name : names) {
      alternativeNames.add(IPAddress.isValid(name)
          ? new GeneralName(GeneralName.iPAddress, name)
          : new GeneralName(GeneralName.dNSName, name));
    }
    X509v3CertificateBuilder broker = new JcaX509v3CertificateBuilder(caCertificate, serialNumber(), notBefore,
        notAfter, new X500Name("CN=" + names.iterator().next()), brokerKeys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
        .addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(alternativeNames.toArray(GeneralName[]::new)))
        .addExtension(Extension.subjectKeyIdentifier, false,
            extensions.createSubjectKeyIdentifier(brokerKeys.getPublic()))
        .addExtension(Extension.authorityKeyIdentifier, false,
            extensions.createAuthorityKeyIdentifier(caCertificate));
    X509Certificate brokerCertificate = sign(broker, caKeys);

    String truststorePassword = randomPassword();
    String keystorePassword = randomPassword();
    KeyStore truststore = KeyStore.getInstance(STORE_TYPE);
    truststore.load(null, null);
    truststore.setCertificateEntry(CA_ALIAS, caCertificate);
    KeyStore keystore = KeyStore.getInstance(STORE_TYPE);
    keystore.load(null, null);
    keystore.setKeyEntry(KEY_ALIAS, brokerKeys.getPrivate(), keystorePassword.toCharArray(),
        new Certificate[] {brokerCertificate, caCertificate});

    writeOwnerOnly(dir.resolve(KEYSTORE_PASSWORD), keystorePassword.getBytes(StandardCharsets.UTF_8));
    writeOwnerOnly(dir.resolve(TRUSTSTORE_PASSWORD), truststorePassword.getBytes(StandardCharsets.UTF_8));
    writeOwnerOnly(dir.resolve(KEYSTORE), new byte[0]);
    try (OutputStream out = Files.newOutputStream(dir.resolve(KEYSTORE))) {
      keystore.store(out, keystorePassword.toCharArray());
    }
    try (OutputStream out = Files.newOutputStream(dir.resolve(TRUSTSTORE))) {
      truststore.store(out, truststorePassword.toCharArray());
    }
    try (Writer writer = Files.newBufferedWriter(dir.resolve(CA_CERTIFICATE), StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(writer)) {
      pem.writeObject(caCertificate);
    }
    return new TlsMaterial(dir, truststorePassword, keystorePassword, brokerCertificate);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(issuer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static Set<String> subjectAlternativeNames(X509Certificate certificate) {
    Set<String> names = new LinkedHashSet<>();
    try {
      Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
      if (entries != null) {
        entries.forEach(entry -> names.add(String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT)));
      }
    } catch (CertificateParsingException e) {
      return Set.of();
    }
    return names;
  }

  private static BigInteger serialNumber() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static String randomPassword() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Writes {@code content} to a file readable by its owner only (where the file system has POSIX permissions). */
  static void writeOwnerOnly(Path file, byte[] content) throws IOException {
    Files.deleteIfExists(file);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    Files.write(file, content);
  }
}
