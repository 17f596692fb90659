-- One database per service: the Key Maker's and the broker's data never share a schema (in
-- production they run on different servers: the Key Maker inside the accredited boundary).
CREATE DATABASE keymaker;
CREATE DATABASE broker;
