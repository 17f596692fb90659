package org.ifpp.keymaker.profiles;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A stored profile: only its protected form (the A3 segments under its PPKs) and its PPKs, either
 * wrapped directly by the HSM's KEK (format 1, older rows) or sealed under a KEK-wrapped data key
 * (format 2). No plain profile byte is ever stored (GENS09).
 */
@Entity
@Table(name = "profiles")
public class ProfileEntity {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false, unique = true, length = 20)
  private String iccid;

  @Column(nullable = false, length = 64)
  private String pool;

  @Column(name = "profile_name", length = 128)
  private String profileName;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  private ProfileState state;

  @Column(name = "protected_segments", nullable = false)
  private byte[] protectedSegments;

  @Column(name = "ppk_nonce", nullable = false)
  private byte[] ppkNonce;

  @Column(name = "ppk_wrapped", nullable = false)
  private byte[] ppkWrapped;

  @Column(name = "kek_label", nullable = false, length = 64)
  private String kekLabel;

  /** {@link PpkCodec#FORMAT_KEK} or {@link PpkCodec#FORMAT_DATA_KEY}. */
  @Column(name = "ppk_format", nullable = false)
  private short ppkFormat;

  @Column(name = "ppk_data_key_id")
  private UUID ppkDataKeyId;

  @Column(name = "import_batch_id")
  private UUID importBatchId;

  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false, insertable = false, updatable = false)
  private Instant updatedAt;

  protected ProfileEntity() {}

  ProfileEntity(
      String iccid,
      String pool,
      String profileName,
      byte[] protectedSegments,
      byte[] ppkNonce,
      byte[] ppkWrapped,
      String kekLabel,
      short ppkFormat,
      UUID ppkDataKeyId,
      UUID importBatchId) {
    this.iccid = iccid;
    this.pool = pool;
    this.profileName = profileName;
    this.state = ProfileState.AVAILABLE;
    this.protectedSegments = protectedSegments;
    this.ppkNonce = ppkNonce;
    this.ppkWrapped = ppkWrapped;
    this.kekLabel = kekLabel;
    this.ppkFormat = ppkFormat;
    this.ppkDataKeyId = ppkDataKeyId;
    this.importBatchId = importBatchId;
  }

  public Long id() {
    return id;
  }

  public String iccid() {
    return iccid;
  }

  public String pool() {
    return pool;
  }

  public String profileName() {
    return profileName;
  }

  public ProfileState state() {
    return state;
  }

  public Instant createdAt() {
    return createdAt;
  }
}
