package org.ifpp.keymaker.eligibility;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.regex.Pattern;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operator API: a pool's eligibility rules (DPFF09). */
@RestController
@RequestMapping(path = "/api/v1/pools/{pool}/eligibility", produces = "application/json")
@Tag(name = "eligibility", description = "which chips may get a pool's profiles (DPFF09)")
class EligibilityController {

  private static final Pattern POOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final EligibilityService service;

  EligibilityController(EligibilityService service) {
    this.service = service;
  }

  @PutMapping(consumes = "application/json")
  @Operation(
      summary = "Set (replace) the pool's eligibility rules",
      description = "400 invalid-pool / invalid-eligibility-rules")
  EligibilityRules put(@PathVariable String pool, @RequestBody EligibilityRules rules) {
    if (rules == null) {
      throw new DomainException(KeymakerError.INVALID_ELIGIBILITY_RULES, "empty request");
    }
    return service.setRules("operator", check(pool), rules);
  }

  @GetMapping
  @Operation(summary = "The pool's eligibility rules (empty rules: every verified chip)")
  EligibilityRules get(@PathVariable String pool) {
    return service
        .rules(check(pool))
        .orElse(
            new EligibilityRules(
                java.util.List.of(),
                java.util.List.of(),
                java.util.List.of(),
                java.util.List.of()));
  }

  private static String check(String pool) {
    if (!POOL.matcher(pool).matches()) {
      throw new DomainException(
          KeymakerError.INVALID_POOL, "pool: [A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    }
    return pool;
  }
}
