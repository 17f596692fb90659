package org.ifpp.console;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The login page of the console (the form posts to Spring Security's login processing). */
@Controller
class ConsoleLoginController {

  private final ConsoleAuthenticator authenticator;

  ConsoleLoginController(ConsoleAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @GetMapping(ConsoleAutoConfiguration.LOGIN)
  String login(Model model) {
    model.addAttribute("service", authenticator.serviceName());
    return "console/login";
  }
}
