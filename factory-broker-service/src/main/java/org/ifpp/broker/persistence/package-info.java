/** What the broker's repositories share: PostgreSQL array parameters. */
package org.ifpp.broker.persistence;
