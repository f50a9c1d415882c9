package io.shoplake.jobs.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Every generated deploy document as indented JSON, keys in the order they were put. */
final class DeployJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DeployJson() {}

  static String write(Object document) {
    try {
      return JSON.writeValueAsString(document) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a deploy document as JSON: " + e.getMessage(), e);
    }
  }

  /** As a JSON string value (the state machine's definition is a string in its request). */
  static String compact(Object document) {
    try {
      return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a deploy document as JSON: " + e.getMessage(), e);
    }
  }
}
