/**
 * Fixtures for {@code ArchitectureTest}'s self-check: an internal class used from outside its
 * parent, and a package that forms a cycle with its own internal package. Not imported by the
 * rules' main analysis (test classes are excluded there).
 */
package org.ifpp.crypto.archfixture;
