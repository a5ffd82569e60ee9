"""The explorer's pages. The server's launcher imports what they need before Streamlit starts (see
``cojian_graph.warmup``)."""
