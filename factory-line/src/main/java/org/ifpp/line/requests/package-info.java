/** Binding on request: a line asks the broker for the packages of chips it sends eUICC data for. */
package org.ifpp.line.requests;
