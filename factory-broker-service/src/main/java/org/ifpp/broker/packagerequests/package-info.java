/**
 * Binding on request (ESBPP02): a line asks for the packages of some chips with their eUICC data,
 * the Key Maker pulls the request and posts its answer. The broker checks shapes only.
 */
package org.ifpp.broker.packagerequests;
