package org.ifpp.euicc.notifications;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.ifpp.crypto.ids.Eid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A chip's pending notifications (SGP.22 5.7.9-5.7.11): the signed result of every load it
 * answered, kept until a station has it safely and removes it. A station that finds a package's
 * one-time key already used asks here for the original result instead of reporting a failure.
 */
@RestController
@RequestMapping("/api/v1/chips/{eid}/notifications")
@Tag(name = "notifications", description = "Pending notifications: the chip's signed results")
class NotificationController {

  private final NotificationService notifications;

  NotificationController(NotificationService notifications) {
    this.notifications = notifications;
  }

  @GetMapping
  @Operation(summary = "List the chip's pending notifications with their signed results")
  NotificationListResponse list(@PathVariable Eid eid) {
    return NotificationListResponse.of(notifications.list(eid));
  }

  @DeleteMapping("/{seqNumber}")
  @Operation(summary = "Remove an acknowledged notification")
  ResponseEntity<Void> remove(@PathVariable Eid eid, @PathVariable long seqNumber) {
    notifications.remove(eid, seqNumber);
    return ResponseEntity.noContent().build();
  }
}
