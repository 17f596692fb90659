package org.ifpp.broker.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.ifpp.broker.auth.internal.TokenHasher;
import org.ifpp.broker.config.BrokerProperties;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.web.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Clients and their bearer credentials. Tokens are stored as SHA-256 only and shown once, when
 * issued. Authentication results are cached for {@code ifpp.broker.credential-cache-ttl} so the hot
 * path does not read the database; any change made through this service clears the cache at once,
 * so a rotated token is valid immediately and the old one is refused immediately on this instance
 * (within the TTL on other instances).
 */
@Service
public class CredentialService {

  private static final Logger log = LoggerFactory.getLogger(CredentialService.class);
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final ApiClientRepository clients;
  private final ApiCredentialRepository credentials;
  private final Clock clock;
  private final long ttlNanos;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  CredentialService(
      ApiClientRepository clients,
      ApiCredentialRepository credentials,
      Clock clock,
      BrokerProperties properties) {
    this.clients = clients;
    this.credentials = credentials;
    this.clock = clock;
    this.ttlNanos = properties.credentialCacheTtl().toNanos();
  }

  /** A newly issued token, returned to the caller once; the broker keeps only its hash. */
  public record IssuedCredential(ClientView client, String token) {
    @Override
    public String toString() {
      return "IssuedCredential[client=" + client + ", token=[REDACTED]]";
    }
  }

  /** What the admin API shows of a client. */
  public record ClientView(
      String name, List<String> scopes, String factory, String line, boolean disabled) {}

  private record Cached(ApiClient client, long expiresAtNanos) {}

  /** The client holding {@code token}, if it is a current credential of an enabled client. */
  public Optional<ApiClient> authenticate(String token) {
    byte[] hash = TokenHasher.sha256(token);
    // One char per hash byte: a cheap map key that holds the hash only, never the token.
    String key = new String(hash, StandardCharsets.ISO_8859_1);
    long now = System.nanoTime();
    Cached cached = cache.get(key);
    if (cached != null && now - cached.expiresAtNanos < 0) {
      return Optional.ofNullable(cached.client);
    }
    ApiClient client = lookup(hash);
    if (cache.size() > 100_000) {
      cache.clear(); // bound memory against floods of random tokens
    }
    cache.put(key, new Cached(client, now + ttlNanos));
    return Optional.ofNullable(client);
  }

  private ApiClient lookup(byte[] hash) {
    return credentials
        .findByTokenSha256(hash)
        .filter(c -> c.revokedAt == null && c.client.disabledAt == null)
        .map(c -> c.client.toClient())
        .orElse(null);
  }

  /**
   * Creates a client with a first credential.
   *
   * @throws DomainException 409 {@code duplicate-client}, 400 on an invalid name/scope/binding
   */
  @Transactional
  public IssuedCredential create(
      String name, Set<Scope> scopes, String factory, String line, String token) {
    validate(name, scopes, factory, line);
    if (clients.findByName(name).isPresent()) {
      throw new DomainException(BrokerError.DUPLICATE_CLIENT, "a client with this name exists");
    }
    ApiClientEntity e = new ApiClientEntity();
    e.name = name;
    e.scopes = Scope.toList(scopes);
    e.factory = factory;
    e.line = line;
    e.createdAt = clock.instant();
    clients.save(e);
    String issued = issue(e, token);
    log.info("client created name={} scopes={} factory={} line={}", name, e.scopes, factory, line);
    return new IssuedCredential(view(e), issued);
  }

  /** Issues a new token for {@code name} and revokes all its previous tokens, atomically. */
  @Transactional
  public IssuedCredential rotate(String name) {
    ApiClientEntity e = find(name);
    credentials.revokeAll(e, clock.instant());
    String issued = issue(e, null);
    log.info("credential rotated client={}", name);
    return new IssuedCredential(view(e), issued);
  }

  /** Disables a client: all its tokens are refused from now on. */
  @Transactional
  public ClientView disable(String name) {
    ApiClientEntity e = find(name);
    Instant now = clock.instant();
    e.disabledAt = now;
    credentials.revokeAll(e, now);
    cache.clear();
    log.info("client disabled name={}", name);
    return view(e);
  }

  @Transactional(readOnly = true)
  public List<ClientView> list() {
    return clients.findAll().stream().map(CredentialService::view).toList();
  }

  @Transactional(readOnly = true)
  public boolean exists(String name) {
    return clients.findByName(name).isPresent();
  }

  private String issue(ApiClientEntity client, String token) {
    String t = token != null ? token : TokenHasher.newToken();
    ApiCredentialEntity c = new ApiCredentialEntity();
    c.client = client;
    c.tokenSha256 = TokenHasher.sha256(t);
    c.createdAt = clock.instant();
    credentials.save(c);
    cache.clear();
    return t;
  }

  private ApiClientEntity find(String name) {
    return clients
        .findByName(name)
        .orElseThrow(() -> new DomainException(BrokerError.CLIENT_NOT_FOUND, "no such client"));
  }

  private static void validate(String name, Set<Scope> scopes, String factory, String line) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new DomainException(
          BrokerError.INVALID_CLIENT_NAME, "client name: [A-Za-z0-9._-]{1,64}");
    }
    if (scopes.isEmpty()) {
      throw new DomainException(BrokerError.INVALID_SCOPES, "at least one scope is required");
    }
    if (factory != null && !NAME.matcher(factory).matches()
        || line != null && !NAME.matcher(line).matches()) {
      throw new DomainException(BrokerError.INVALID_BINDING, "factory/line: [A-Za-z0-9._-]{1,64}");
    }
    if (scopes.stream().anyMatch(Scope::isLineScope) && factory == null) {
      throw new DomainException(
          BrokerError.INVALID_BINDING, "a client with line scopes must be bound to a factory");
    }
    if (line != null && factory == null) {
      throw new DomainException(BrokerError.INVALID_BINDING, "a line belongs to a factory");
    }
  }

  private static ClientView view(ApiClientEntity e) {
    return new ClientView(
        e.name,
        Scope.parseList(e.scopes).stream().map(Scope::wireName).sorted().toList(),
        e.factory,
        e.line,
        e.disabledAt != null);
  }
}
