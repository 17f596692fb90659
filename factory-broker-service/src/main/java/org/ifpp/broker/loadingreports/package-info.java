/**
 * Loading reports (ESBPP03): a line submits its order's report (every device, the chip's signed
 * result or the line's reason), the Key Maker pulls it. The broker checks the shape only.
 */
package org.ifpp.broker.loadingreports;
