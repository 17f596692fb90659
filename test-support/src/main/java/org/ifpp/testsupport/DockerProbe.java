package org.ifpp.testsupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The Docker engine as {@link PostgresChoice} sees it, through a client of its own: Testcontainers'
 * shared client would start the Ryuk container (and pull its image) before anything is decided.
 */
final class DockerProbe implements PostgresChoice.Engine {

  private DockerClient client;

  @Override
  public boolean answers() {
    try {
      // Not isDockerAvailable(): it creates the shared client, which starts Ryuk first.
      client =
          DockerClientProviderStrategy.getClientForConfig(
              DockerClientFactory.instance().getTransportConfig());
      client.pingCmd().exec();
      return true;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @Override
  public boolean hasImage(String image) {
    try {
      client.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public boolean pull(String image, Duration timeout) {
    DockerImageName name = DockerImageName.parse(image);
    ResultCallback.Adapter<PullResponseItem> pull = new ResultCallback.Adapter<>();
    try (pull) {
      client.pullImageCmd(name.getUnversionedPart()).withTag(name.getVersionPart()).exec(pull);
      return pull.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS) && hasImage(image);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException | IOException e) {
      return false;
    }
  }
}
